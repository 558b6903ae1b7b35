/**
 * Verifies Google identity tokens (accounts.google.com: service accounts, Cloud Scheduler, gcloud
 * users) with google-auth-library. Firebase ID tokens go to FirebaseTokenVerifier instead. Roles
 * come from a `roles` claim, if any, plus those SERVICE_ACCOUNT_ROLES grants the email (a service
 * account's token has no such claim). The API imports this module on the first such token.
 */
import { OAuth2Client } from 'google-auth-library';
import { UnauthenticatedError } from '../../domain/errors.js';
import { toRoles, withGrantedRoles, type Principal, type ServiceAccountRoles, type TokenVerifier } from '../../domain/ports/token-verifier.js';

export class GoogleTokenVerifier implements TokenVerifier {
  private readonly client = new OAuth2Client();

  constructor(
    private readonly audience: string,
    private readonly grants: ServiceAccountRoles = {},
  ) {}

  async verify(token: string): Promise<Principal> {
    let payload: Record<string, unknown> | undefined;
    try {
      const ticket = await this.client.verifyIdToken({ idToken: token, audience: this.audience });
      payload = ticket.getPayload() as Record<string, unknown> | undefined;
    } catch (error) {
      throw new UnauthenticatedError(`Invalid token: ${(error as Error).message}`);
    }
    const email = payload?.['email'];
    if (!payload || typeof email !== 'string' || payload['email_verified'] === false) {
      throw new UnauthenticatedError('Invalid token: it carries no verified email');
    }
    const roles = payload['roles'];
    return withGrantedRoles({ email, roles: Array.isArray(roles) ? toRoles(roles) : [] }, this.grants);
  }
}
