/** What the users import needs of the identity provider and of the role audit (the legacy credentials: domain/ports/legacy-credentials.ts). */
import type { Role } from '../../domain/ports/token-verifier.js';
import type { LegacyUser } from './legacy-user.js';

export interface ExistingAccount {
  uid: string;
  email: string | undefined;
  roles: Role[];
}

export interface AccountDirectory {
  /** The accounts that have one of these uids or emails (at most 100 identifiers in all). */
  lookup(uids: readonly string[], emails: readonly string[]): Promise<ExistingAccount[]>;
  /** Creates the accounts with their bcrypt hashes, roles and display names; what failed, by uid. */
  importWithBcrypt(users: readonly LegacyUser[]): Promise<Map<string, string>>;
  /** Each account's credentials version as IdentityProvider.accountState reports it. */
  credentialVersions(uids: readonly string[]): Promise<Map<string, string | null>>;
}

export interface RoleAudit {
  record(change: { actor: string; uid: string; email: string; from: readonly Role[]; to: readonly Role[] }): Promise<unknown>;
}
