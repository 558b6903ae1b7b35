/**
 * Accepts `dev:<email>:<comma-separated roles>` tokens without a signature. For this machine only:
 * configuration refuses it outside DEPLOY_ENV local and test.
 */
import { UnauthenticatedError } from '../../domain/errors.js';
import { toRoles, type Principal, type TokenVerifier } from '../../domain/ports/token-verifier.js';

const DEV_TOKEN = /^dev:([^:\s@]+@[^:\s@]+):([a-z,]*)$/;

export class DevTokenVerifier implements TokenVerifier {
  async verify(token: string): Promise<Principal> {
    const match = DEV_TOKEN.exec(token);
    if (!match) throw new UnauthenticatedError('Invalid token: expected dev:<email>:<roles> on the local stack');
    return { email: match[1]!, roles: toRoles(match[2]!.split(',')) };
  }
}
