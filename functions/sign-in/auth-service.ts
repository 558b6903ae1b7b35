/**
 * Sign-in and registration for the web frontend: the identity provider checks passwords and
 * issues ID tokens; this service gives new accounts their configured roles and answers with the
 * user in the frontend's shape. No password is stored, hashed or logged here (an imported user's old
 * hash is checked behind the LegacyPasswordAdoption port).
 */
import { ServiceUnavailableError, UnauthenticatedError } from '../domain/errors.js';
import type { IdentityProvider } from '../domain/ports/identity-provider.js';
import type { LegacyPasswordAdoption } from '../domain/ports/legacy-credentials.js';
import type { Principal, Role, TokenVerifier } from '../domain/ports/token-verifier.js';
import type { LoginInput, RegisterInput, RoleAuditEntry, UserView } from '../domain/schemas/auth.js';
import type { SignInThrottle } from './sign-in-throttle.js';

interface RoleAuditLog {
  record(change: { actor: string; uid: string; email: string; from: readonly Role[]; to: readonly Role[] }): Promise<RoleAuditEntry>;
  /** The newest entries first. */
  trail(limit: number): Promise<RoleAuditEntry[]>;
}

export interface AuthServiceDependencies {
  /** Absent when sign-in is not configured (no FIREBASE_API_KEY): the sign-in routes say so. */
  identity: IdentityProvider | undefined;
  verifier: TokenVerifier;
  /** Roles every new registration gets (local default `editor`; none in production). */
  registrationRoles: readonly Role[];
  audit: RoleAuditLog;
  /** Imported users' old passwords, tried when the identity provider refuses one; absent: none. */
  legacyPasswords?: LegacyPasswordAdoption;
  /** Limits on failed sign-ins per account and per client address; absent: none. */
  throttle?: SignInThrottle;
}

export function userViewOf(principal: Principal): UserView {
  const role = principal.roles.includes('admin') ? 'admin' : principal.roles.includes('editor') ? 'editor' : 'user';
  return {
    id: principal.uid ?? principal.email,
    username: principal.name ?? principal.email.split('@')[0]!,
    email: principal.email,
    role,
    roles: [...principal.roles],
  };
}

export class AuthService {
  constructor(private readonly deps: AuthServiceDependencies) {}

  private identity(): IdentityProvider {
    if (!this.deps.identity) throw new ServiceUnavailableError('Sign-in is not configured on this server (FIREBASE_API_KEY is unset)', 3600);
    return this.deps.identity;
  }

  private async session(token: string): Promise<{ token: string; user: UserView }> {
    return { token, user: userViewOf(await this.deps.verifier.verify(token, { checkRevoked: false })) };
  }

  /** `address`: where the attempt came from (client-address.ts), for the throttle. */
  async login(input: LoginInput, address?: string): Promise<{ token: string; user: UserView }> {
    const identity = this.identity();
    const signIn = async () => {
      try {
        return await this.session(await identity.signIn(input.email, input.password));
      } catch (error) {
        // A refused password may be an imported user's first sign-in with the old backend's password;
        // a wrong one is refused (and counted) like any other.
        if (!(error instanceof UnauthenticatedError) || !(await this.deps.legacyPasswords?.adopt(input.email, input.password))) throw error;
        return this.session(await identity.signIn(input.email, input.password));
      }
    };
    return this.deps.throttle ? this.deps.throttle.attempt(input.email, address, signIn) : signIn();
  }

  /** Creates the account, gives it the configured roles, then signs in so the token carries them. */
  async register(input: RegisterInput): Promise<{ token: string; user: UserView }> {
    const identity = this.identity();
    const uid = await identity.signUp(input.email, input.password, input.username);
    if (this.deps.registrationRoles.length > 0) {
      await identity.setRoles(uid, this.deps.registrationRoles);
      await this.deps.audit.record({ actor: 'registration', uid, email: input.email, from: [], to: this.deps.registrationRoles });
    }
    return this.session(await identity.signIn(input.email, input.password));
  }

  /** An admin replaces a user's roles; audited. They apply to the user's next ID token (next sign-in or refresh). */
  async setRoles(actor: string, uid: string, roles: readonly Role[]): Promise<RoleAuditEntry> {
    const identity = this.identity();
    const before = await identity.rolesOf(uid);
    await identity.setRoles(uid, roles);
    return this.deps.audit.record({ actor, uid, email: before.email, from: before.roles, to: roles });
  }

  roleAuditTrail(limit: number): Promise<RoleAuditEntry[]> {
    return this.deps.audit.trail(limit);
  }
}
