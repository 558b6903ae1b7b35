/**
 * Verifies Google identity tokens (accounts.google.com: service accounts, Cloud Scheduler, gcloud
 * users) with google-auth-library, imported on first use to keep it out of the cold start. Firebase
 * ID tokens go to FirebaseTokenVerifier instead. Roles come from a `roles` claim, if any.
 */
import type { OAuth2Client } from 'google-auth-library';
import { UnauthenticatedError } from '../../domain/errors.js';
import { toRoles, type Principal, type TokenVerifier } from '../../domain/ports/token-verifier.js';

export class GoogleTokenVerifier implements TokenVerifier {
  private client: Promise<OAuth2Client> | undefined;

  constructor(private readonly audience: string) {}

  async verify(token: string): Promise<Principal> {
    this.client ??= import('google-auth-library').then(({ OAuth2Client }) => new OAuth2Client());
    const client = await this.client;
    let payload: Record<string, unknown> | undefined;
    try {
      const ticket = await client.verifyIdToken({ idToken: token, audience: this.audience });
      payload = ticket.getPayload() as Record<string, unknown> | undefined;
    } catch (error) {
      throw new UnauthenticatedError(`Invalid token: ${(error as Error).message}`);
    }
    const email = payload?.['email'];
    if (!payload || typeof email !== 'string' || payload['email_verified'] === false) {
      throw new UnauthenticatedError('Invalid token: it carries no verified email');
    }
    const roles = payload['roles'];
    return { email, roles: Array.isArray(roles) ? toRoles(roles) : [] };
  }
}
