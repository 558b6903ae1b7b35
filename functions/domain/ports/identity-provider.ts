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
}
