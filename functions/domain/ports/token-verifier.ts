export type Role = 'editor' | 'admin';
export const ROLES: readonly Role[] = ['editor', 'admin'];

export interface Principal {
  email: string;
  roles: readonly Role[];
  /** The identity provider's user id (absent for dev tokens). */
  uid?: string;
  /** The display name the user registered with, if any. */
  name?: string;
}

export interface VerifyOptions {
  /** Also refuse a token whose session was revoked or whose account was disabled since it was issued. */
  checkRevoked: boolean;
}

/** Turns a bearer token into a principal, or throws UnauthenticatedError. */
export interface TokenVerifier {
  verify(token: string, options?: VerifyOptions): Promise<Principal>;
}

export function toRoles(values: readonly unknown[]): Role[] {
  return values.filter((value): value is Role => value === 'editor' || value === 'admin');
}

/** Roles granted to service accounts by email: their Google identity tokens carry no `roles` claim. */
export type ServiceAccountRoles = Readonly<Record<string, readonly Role[]>>;

/** The principal with the roles its email is granted added to those its token carries. */
export function withGrantedRoles(principal: Principal, grants: ServiceAccountRoles): Principal {
  const granted = grants[principal.email.toLowerCase()];
  if (!granted) return principal;
  return { ...principal, roles: ROLES.filter((role) => principal.roles.includes(role) || granted.includes(role)) };
}
