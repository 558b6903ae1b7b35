export type Role = 'editor' | 'admin';

export interface Principal {
  email: string;
  roles: readonly Role[];
}

/** Turns a bearer token into a principal, or throws UnauthenticatedError. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

export function toRoles(values: readonly unknown[]): Role[] {
  return values.filter((value): value is Role => value === 'editor' || value === 'admin');
}
