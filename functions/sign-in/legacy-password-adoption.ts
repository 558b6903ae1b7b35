/**
 * An imported user's first sign-in with the password of the old backend: the identity provider has
 * refused it (the Auth emulator cannot verify the bcrypt hash it was given at import), so it is
 * checked against the legacy hash kept at import; if it matches and the account has not changed
 * since, it becomes the account's own password and the hash is forgotten. Later sign-ins go to the
 * identity provider alone.
 *
 * Two first sign-ins of one user at once (a double tap, two devices) both succeed: the identity
 * provider refused both before either had adopted the password, and the second then finds the
 * account changed by the first (its version moved) or the hash already forgotten as adopted. Either
 * way it asks the identity provider again rather than refusing the right password.
 */
import { UnauthenticatedError } from '../domain/errors.js';
import type { IdentityProvider } from '../domain/ports/identity-provider.js';
import type { LegacyCredentialStore, LegacyPasswordAdoption, PasswordHashCheck } from '../domain/ports/legacy-credentials.js';

/** How recent an adoption may be to account for a concurrent sign-in refused before it: longer than any one sign-in request. */
const CONCURRENT_ADOPTION_MS = 60_000;

export interface LegacyPasswordDependencies {
  credentials: Pick<LegacyCredentialStore, 'find' | 'forget' | 'adoptedSince'>;
  check: PasswordHashCheck;
  identity: Pick<IdentityProvider, 'accountState' | 'setPassword' | 'signIn'>;
  now?: () => Date;
}

export class LegacyPasswords implements LegacyPasswordAdoption {
  constructor(private readonly deps: LegacyPasswordDependencies) {}

  async adopt(email: string, password: string): Promise<boolean> {
    const credential = await this.deps.credentials.find(email);
    // Checked even without a credential: the refusal then takes as long as a wrong password does.
    const matched = await this.deps.check.matches(password, credential?.hash);
    if (!credential) return this.adoptedJustNow(email);
    if (!matched) return false;
    const account = await this.deps.identity.accountState(credential.uid);
    if (!account || account.disabled) return false;
    if (account.credentialsVersion !== credential.accountVersion) {
      // Changed since the import: by a concurrent first sign-in that has just made this very password
      // the account's own, or by a password or email change (or revoked sessions). Then the old
      // password must not set the password back, so the hash goes.
      if (await this.acceptedByIdentityProvider(email, password)) return true;
      await this.deps.credentials.forget(email, 'stale');
      return false;
    }
    await this.deps.identity.setPassword(credential.uid, password);
    await this.deps.credentials.forget(email, 'adopted');
    return true;
  }

  /** A concurrent first sign-in may have adopted the hash after this one was refused: the identity provider then checks the password. */
  private adoptedJustNow(email: string): Promise<boolean> {
    const now = (this.deps.now ?? (() => new Date()))();
    return this.deps.credentials.adoptedSince(email, new Date(now.getTime() - CONCURRENT_ADOPTION_MS));
  }

  private async acceptedByIdentityProvider(email: string, password: string): Promise<boolean> {
    try {
      await this.deps.identity.signIn(email, password);
      return true;
    } catch (error) {
      if (error instanceof UnauthenticatedError) return false;
      throw error;
    }
  }
}
