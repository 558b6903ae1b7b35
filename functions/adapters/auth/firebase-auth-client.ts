/**
 * One firebase-admin Auth client per process, created on first use: firebase-admin is large and
 * only sign-in and writes need it, so importing it lazily keeps it out of the API's cold start.
 * With FIREBASE_AUTH_EMULATOR_HOST set (local and test only; configuration refuses it elsewhere)
 * firebase-admin talks to the Auth emulator and accepts its unsigned tokens.
 */
import type { Auth, UserRecord } from 'firebase-admin/auth';
import { toRoles, type Role } from '../../domain/ports/token-verifier.js';

const clients = new Map<string, Promise<Auth>>();

export function firebaseAuth(projectId: string): Promise<Auth> {
  let client = clients.get(projectId);
  if (!client) {
    client = (async () => {
      const [{ initializeApp, getApps }, { getAuth }] = await Promise.all([import('firebase-admin/app'), import('firebase-admin/auth')]);
      const name = `nna-registry-${projectId}`;
      const app = getApps().find((existing) => existing.name === name) ?? initializeApp({ projectId }, name);
      return getAuth(app);
    })();
    clients.set(projectId, client);
  }
  return client;
}

/** firebase-admin reports failures as errors with a `code` like `auth/id-token-expired`. */
export function firebaseErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A user's `roles` custom claim, the project's roles only. */
export function rolesClaimOf(user: Pick<UserRecord, 'customClaims'>): Role[] {
  const roles = user.customClaims?.['roles'] as unknown;
  return Array.isArray(roles) ? toRoles(roles) : [];
}

/**
 * The version of a user's credentials: `tokensValidAfterTime`, which Firebase moves on every
 * password or email change and on revocation (null while it has none).
 */
export function credentialsVersionOf(user: Pick<UserRecord, 'tokensValidAfterTime'>): string | null {
  return user.tokensValidAfterTime ?? null;
}
