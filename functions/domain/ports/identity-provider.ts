import type { Role } from './token-verifier.js';

/**
 * Accounts and passwords live with the identity provider (Firebase Authentication); this project
 * never stores or hashes a password. Wrong credentials are an UnauthenticatedError that does not say
 * whether the email exists; a taken email on sign-up is a ConflictError.
 */
export interface IdentityProvider {
  /** A fresh ID token for the account. */
  signIn(email: string, password: string): Promise<string>;
  /** Creates the account and returns its user id. */
  signUp(email: string, password: string, displayName: string | undefined): Promise<string>;
  /** The account's email and roles (NotFoundError when there is no such user). */
  rolesOf(uid: string): Promise<{ email: string; roles: Role[] }>;
  /** Replaces the account's roles; its other custom claims are kept. */
  setRoles(uid: string, roles: readonly Role[]): Promise<void>;
  /**
   * Whether the account exists and is enabled, and the version of its credentials: a value that
   * changes whenever its password or email changes or its sessions are revoked (null when the
   * provider has none yet). Undefined when there is no such account.
   */
  accountState(uid: string): Promise<{ disabled: boolean; credentialsVersion: string | null } | undefined>;
  /** Sets the account's password (an imported account adopting its legacy password). */
  setPassword(uid: string, password: string): Promise<void>;
}
