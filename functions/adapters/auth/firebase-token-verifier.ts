/**
 * Verifies Firebase Authentication ID tokens with firebase-admin (signature, expiry, audience and,
 * for writes, revocation and disabled accounts). Roles come from the `roles` custom claim.
 */
import { ServiceUnavailableError, UnauthenticatedError } from '../../domain/errors.js';
import { toRoles, type Principal, type TokenVerifier, type VerifyOptions } from '../../domain/ports/token-verifier.js';
import { firebaseAuth, firebaseErrorCode } from './firebase-auth-client.js';

/** Whether a JWT was issued by Firebase Authentication for this project (read without verifying). */
function isFirebaseToken(token: string, projectId: string): boolean {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    return claims.iss === `https://securetoken.google.com/${projectId}`;
  } catch {
    // Not a JWT at all (a dev token, a MOCK- token): not Firebase's.
    return false;
  }
}

export class FirebaseTokenVerifier implements TokenVerifier {
  constructor(private readonly projectId: string) {}

  async verify(token: string, options: VerifyOptions = { checkRevoked: true }): Promise<Principal> {
    const auth = await firebaseAuth(this.projectId);
    let claims: Awaited<ReturnType<typeof auth.verifyIdToken>>;
    try {
      claims = await auth.verifyIdToken(token, options.checkRevoked);
    } catch (error) {
      const code = firebaseErrorCode(error);
      // Failures to reach Firebase are not the caller's fault: 503, so the client keeps its token.
      if (code === 'auth/internal-error' || code === undefined) throw new ServiceUnavailableError('Sign-in could not be checked; try again');
      throw new UnauthenticatedError(`Invalid token (${code.replace(/^auth\//, '')})`);
    }
    // Password accounts made through our own sign-up are unverified emails; the uid is the identity.
    if (typeof claims.email !== 'string') throw new UnauthenticatedError('Invalid token: it carries no email');
    const roles = claims['roles'];
    const principal: Principal = { email: claims.email, roles: Array.isArray(roles) ? toRoles(roles) : [], uid: claims.uid };
    if (typeof claims['name'] === 'string') principal.name = claims['name'];
    return principal;
  }
}

/** Firebase ID tokens go to Firebase; every other token to the verifier for the rest (dev or Google). */
export class FirebaseOrOtherVerifier implements TokenVerifier {
  constructor(
    private readonly projectId: string,
    private readonly firebase: TokenVerifier,
    private readonly other: TokenVerifier,
  ) {}

  verify(token: string, options?: VerifyOptions): Promise<Principal> {
    return (isFirebaseToken(token, this.projectId) ? this.firebase : this.other).verify(token, options);
  }
}
