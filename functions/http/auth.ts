/** Who is calling, and whether they may: bearer tokens, roles, and public reads. */
import net from 'node:net';
import { ForbiddenError, ServiceUnavailableError, UnauthenticatedError } from '../domain/errors.js';
import type { Principal, Role, TokenVerifier } from '../domain/ports/token-verifier.js';
import type { ApiRequest } from './http-types.js';

/** `read` is open when reads are public; `signed-in` needs any valid token; `editor` may write assets; `admin` may do all. */
export type Access = 'public' | 'read' | 'signed-in' | 'editor' | 'admin';

export interface AuthPolicy {
  verifier: TokenVerifier;
  publicReads: boolean;
  /**
   * The verifier accepts unsigned tokens (dev tokens, the Auth emulator's), which anyone can write
   * for any user: they are then taken only from callers on this machine.
   */
  unsignedTokensFromLoopbackOnly?: boolean;
}

/** Whether the connection comes from this machine (127.0.0.0/8, ::1, or those mapped into IPv6). */
function fromLoopback(request: ApiRequest): boolean {
  const address = request.socket.remoteAddress ?? '';
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return net.isIPv4(v4) ? v4.startsWith('127.') : address === '::1';
}

function bearerToken(request: ApiRequest, policy: AuthPolicy): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"');
  if (policy.unsignedTokensFromLoopbackOnly && !fromLoopback(request)) {
    throw new UnauthenticatedError(
      'This local API accepts its unsigned tokens only from this machine; set DEV_TOKENS_FROM_NETWORK=true to accept them from the network (anyone on it can then act as any user)',
    );
  }
  return match[1];
}

function hasRole(principal: Principal, role: Role): boolean {
  // Admins may do everything editors may.
  return principal.roles.includes(role) || (role === 'editor' && principal.roles.includes('admin'));
}

/**
 * Sign-in is optional where reading needs none: a token that is malformed, expired, revoked or one
 * of the web frontend's `MOCK-...` stand-ins is ignored and the caller read as anonymous, because the
 * frontend answers any 401 by dropping its token and sending the user to the sign-in page.
 */
async function optionalPrincipal(request: ApiRequest, policy: AuthPolicy): Promise<Principal | undefined> {
  try {
    const token = bearerToken(request, policy);
    return token === undefined ? undefined : await policy.verifier.verify(token, { checkRevoked: false });
  } catch (error) {
    // An identity provider that cannot be reached must not fail a read that needs no sign-in either.
    if (error instanceof UnauthenticatedError || error instanceof ServiceUnavailableError) return undefined;
    throw error;
  }
}

export async function authorize(request: ApiRequest, access: Access, policy: AuthPolicy): Promise<Principal | undefined> {
  if (access === 'public') return undefined;
  if (access === 'read' && policy.publicReads) return optionalPrincipal(request, policy);
  const token = bearerToken(request, policy);
  if (token === undefined) throw new UnauthenticatedError();
  // Changes need a token that is still valid now: revoked sessions and disabled accounts are refused.
  const principal = await policy.verifier.verify(token, { checkRevoked: access !== 'read' });
  if (access === 'editor' && !hasRole(principal, 'editor')) {
    throw new ForbiddenError(`${principal.email} may not change assets (the editor role is needed)`);
  }
  if (access === 'admin' && !hasRole(principal, 'admin')) {
    throw new ForbiddenError(`${principal.email} may not use admin endpoints (the admin role is needed)`);
  }
  return principal;
}
