/**
 * Verifies Google-signed ID tokens: Firebase Auth tokens (issuer securetoken.google.com/PROJECT)
 * and Google identity tokens (accounts.google.com), with google-auth-library. Roles come from the
 * `roles` custom claim.
 */
import { OAuth2Client } from 'google-auth-library';
import { UnauthenticatedError } from '../../domain/errors.js';
import { toRoles, type Principal, type TokenVerifier } from '../../domain/ports/token-verifier.js';

const FIREBASE_CERTS_URL = 'https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com';

export class GoogleTokenVerifier implements TokenVerifier {
  private readonly client = new OAuth2Client();

  constructor(
    private readonly projectId: string,
    private readonly audience: string,
  ) {}

  async verify(token: string): Promise<Principal> {
    let payload: Record<string, unknown> | undefined;
    try {
      payload = await this.verifyEither(token);
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

  private async verifyEither(token: string): Promise<Record<string, unknown> | undefined> {
    const issuer = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8') || '{}') as { iss?: string };
    if (issuer.iss === `https://securetoken.google.com/${this.projectId}`) {
      const response = await this.client.transporter.request<Record<string, string>>({ url: FIREBASE_CERTS_URL });
      const ticket = await this.client.verifySignedJwtWithCertsAsync(token, response.data, this.projectId, [issuer.iss]);
      return ticket.getPayload() as Record<string, unknown> | undefined;
    }
    const ticket = await this.client.verifyIdToken({ idToken: token, audience: this.audience });
    return ticket.getPayload() as Record<string, unknown> | undefined;
  }
}
