/**
 * Passwords of users imported from the old backend: bcrypt hashes (`$2a$10$…`) kept server-side, by
 * lowercased email, until the user's first sign-in here. Firebase Authentication verifies the hash
 * it was given at import itself, but the Auth emulator cannot; so when the identity provider refuses
 * a password, the API checks it against the legacy hash once, makes it the account's own password
 * and forgets the hash. Never served, never logged.
 */
export interface LegacyCredential {
  uid: string;
  /** The old backend's bcrypt hash. */
  hash: string;
  /**
   * The account's credentials version right after its import (IdentityProvider.accountState): a
   * different one now means its password or email changed, or its sessions were revoked, since;
   * the hash is then stale and must never set the password back.
   */
  accountVersion: string | null;
}

/** `waiting` holds the hash; `adopted` (its user signed in with it) and `stale` no longer do. */
export type LegacyCredentialState = 'waiting' | 'adopted' | 'stale';

/** What an import keeps of a user it has just created with the identity provider. */
export interface LegacyCredentialRecord extends LegacyCredential {
  email: string;
  /** The export the user came from. */
  source: string;
  importedAt: string;
}

export interface LegacyCredentialStore {
  /** The credential still waiting for its first sign-in, by lowercased email. */
  find(email: string): Promise<LegacyCredential | undefined>;
  /** Forgets the hash (a record without it stays, so that a later import knows not to bring it back). */
  forget(email: string, reason: 'adopted' | 'stale'): Promise<void>;
  /** Whether the email's hash was adopted (its user signed in with it) at or after `since`. */
  adoptedSince(email: string, since: Date): Promise<boolean>;
  /** The records of these emails that exist, whatever their state, by lowercased email. */
  statuses(emails: readonly string[]): Promise<Map<string, { uid: string; state: LegacyCredentialState }>>;
  /** Keeps the hashes of users an import has just created (all or none). */
  save(records: readonly LegacyCredentialRecord[]): Promise<void>;
}

export interface PasswordHashCheck {
  /**
   * Whether the password matches the hash. Without a hash it spends the same time and answers
   * false, so a refused sign-in takes as long whether the email has a legacy credential or not.
   */
  matches(password: string, hash: string | undefined): Promise<boolean>;
}

/** What sign-in asks when the identity provider refused a password. */
export interface LegacyPasswordAdoption {
  /**
   * True when the identity provider may now accept the password, so sign-in asks it again: the
   * password matched the email's legacy credential and is now the account's password (the hash
   * forgotten), by this sign-in or by a concurrent first sign-in of the same user. False when there
   * is no such credential, the password does not match, or the credential is stale.
   */
  adopt(email: string, password: string): Promise<boolean>;
}
