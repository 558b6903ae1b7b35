/**
 * An imported user's first sign-in with the password of the old backend: the identity provider has
 * refused it (the Auth emulator cannot verify the bcrypt hash it was given at import), so it is
 * checked against the legacy hash kept at import; if it matches and the account has not changed
 * since, it becomes the account's own password and the hash is forgotten. Later sign-ins go to the
 * identity provider alone.
 */
import type { IdentityProvider } from '../domain/ports/identity-provider.js';
import type { LegacyCredentialStore, LegacyPasswordAdoption, PasswordHashCheck } from '../domain/ports/legacy-credentials.js';

export interface LegacyPasswordDependencies {
  credentials: Pick<LegacyCredentialStore, 'find' | 'forget'>;
  check: PasswordHashCheck;
  identity: Pick<IdentityProvider, 'accountState' | 'setPassword'>;
}

export class LegacyPasswords implements LegacyPasswordAdoption {
  constructor(private readonly deps: LegacyPasswordDependencies) {}

  async adopt(email: string, password: string): Promise<boolean> {
    const credential = await this.deps.credentials.find(email);
    // Checked even without a credential: the refusal then takes as long as a wrong password does.
    if (!(await this.deps.check.matches(password, credential?.hash)) || !credential) return false;
    const account = await this.deps.identity.accountState(credential.uid);
    if (!account || account.disabled) return false;
    if (account.credentialsVersion !== credential.accountVersion) {
      // The password or email changed (or sessions were revoked) since the import: the old password
      // must not set the password back, so the hash goes.
      await this.deps.credentials.forget(email, 'stale');
      return false;
    }
    await this.deps.identity.setPassword(credential.uid, password);
    await this.deps.credentials.forget(email, 'adopted');
    return true;
  }
}
