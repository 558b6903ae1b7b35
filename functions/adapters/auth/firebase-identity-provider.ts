/**
 * Firebase Authentication (Identity Platform) as the identity provider: passwords are checked and
 * kept by Firebase through its REST API (Identity Toolkit `accounts:signInWithPassword` and
 * `accounts:signUp`), users and their `roles` custom claim are managed with firebase-admin.
 * Locally the same calls go to the Auth emulator (FIREBASE_AUTH_EMULATOR_HOST).
 */
import { ConflictError, NotFoundError, ServiceUnavailableError, UnauthenticatedError, ValidationError } from '../../domain/errors.js';
import type { IdentityProvider } from '../../domain/ports/identity-provider.js';
import type { Role } from '../../domain/ports/token-verifier.js';
import { credentialsVersionOf, firebaseAuth, firebaseErrorCode, rolesClaimOf } from './firebase-auth-client.js';

export interface FirebaseIdentityOptions {
  projectId: string;
  /** The web API key of the Firebase project (any text against the emulator). */
  apiKey: string;
  /** `host:port` of the Auth emulator, locally. */
  emulatorHost: string | undefined;
  timeoutMs?: number;
}

/** One message for every credential failure, so the answer never tells whether an email exists. */
export const WRONG_CREDENTIALS = 'The email or password is incorrect';

const CREDENTIAL_ERRORS = new Set(['EMAIL_NOT_FOUND', 'INVALID_PASSWORD', 'INVALID_LOGIN_CREDENTIALS', 'USER_DISABLED', 'INVALID_EMAIL', 'MISSING_PASSWORD']);

export class FirebaseIdentityProvider implements IdentityProvider {
  private readonly baseUrl: string;

  constructor(private readonly options: FirebaseIdentityOptions) {
    this.baseUrl = options.emulatorHost ? `http://${options.emulatorHost}/identitytoolkit.googleapis.com/v1` : 'https://identitytoolkit.googleapis.com/v1';
  }

  /** POSTs to Identity Toolkit; returns the body, or the error message code it answered with. */
  private async post(method: string, body: Record<string, unknown>): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; code: string }> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/accounts:${method}?key=${encodeURIComponent(this.options.apiKey)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...body, returnSecureToken: true }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new ServiceUnavailableError(`The identity provider could not be reached (${(error as Error).message})`);
    }
    const parsed = (await response.json().catch(() => ({}))) as Record<string, unknown> & { error?: { message?: unknown } };
    if (response.ok) return { ok: true, body: parsed };
    // Messages look like "WEAK_PASSWORD : Password should be at least 6 characters".
    const code = typeof parsed.error?.message === 'string' ? parsed.error.message.split(':')[0]!.trim() : `HTTP_${response.status}`;
    return { ok: false, code };
  }

  async signIn(email: string, password: string): Promise<string> {
    const result = await this.post('signInWithPassword', { email, password });
    if (result.ok && typeof result.body['idToken'] === 'string') return result.body['idToken'];
    if (!result.ok && CREDENTIAL_ERRORS.has(result.code)) throw new UnauthenticatedError(WRONG_CREDENTIALS);
    if (!result.ok && result.code === 'TOO_MANY_ATTEMPTS_TRY_LATER') throw new ServiceUnavailableError('Too many sign-in attempts; try again later', 60);
    throw new ServiceUnavailableError(`Sign-in failed at the identity provider (${result.ok ? 'no token' : result.code})`);
  }

  async signUp(email: string, password: string, displayName: string | undefined): Promise<string> {
    const result = await this.post('signUp', { email, password, ...(displayName ? { displayName } : {}) });
    if (result.ok && typeof result.body['localId'] === 'string') return result.body['localId'];
    if (!result.ok) {
      if (result.code === 'EMAIL_EXISTS') throw new ConflictError('An account with this email already exists', [{ path: 'email', issue: 'is taken' }]);
      if (result.code === 'WEAK_PASSWORD') throw ValidationError.single('password', 'is too weak (at least 6 characters)');
      if (result.code === 'INVALID_EMAIL') throw ValidationError.single('email', 'is not a valid email address');
    }
    throw new ServiceUnavailableError(`Sign-up failed at the identity provider (${result.ok ? 'no user id' : result.code})`);
  }

  private async withUser<T>(uid: string, action: (auth: Awaited<ReturnType<typeof firebaseAuth>>) => Promise<T>): Promise<T> {
    const auth = await firebaseAuth(this.options.projectId);
    try {
      return await action(auth);
    } catch (error) {
      if (firebaseErrorCode(error) === 'auth/user-not-found') throw new NotFoundError(`No user ${uid}`);
      throw error;
    }
  }

  rolesOf(uid: string): Promise<{ email: string; roles: Role[] }> {
    return this.withUser(uid, async (auth) => {
      const user = await auth.getUser(uid);
      return { email: user.email ?? '', roles: rolesClaimOf(user) };
    });
  }

  setRoles(uid: string, roles: readonly Role[]): Promise<void> {
    return this.withUser(uid, async (auth) => {
      const user = await auth.getUser(uid);
      await auth.setCustomUserClaims(uid, { ...user.customClaims, roles: [...roles] });
    });
  }

  async accountState(uid: string): Promise<{ disabled: boolean; credentialsVersion: string | null } | undefined> {
    try {
      return await this.withUser(uid, async (auth) => {
        const user = await auth.getUser(uid);
        return { disabled: user.disabled, credentialsVersion: credentialsVersionOf(user) };
      });
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  setPassword(uid: string, password: string): Promise<void> {
    return this.withUser(uid, async (auth) => {
      try {
        await auth.updateUser(uid, { password });
      } catch (error) {
        // The old backend may have taken passwords Firebase refuses (under 6 characters): the user must reset it.
        if (firebaseErrorCode(error) === 'auth/invalid-password') {
          throw ValidationError.single('password', 'is right, but sign-in now needs at least 6 characters: reset the password');
        }
        throw error;
      }
    });
  }
}
