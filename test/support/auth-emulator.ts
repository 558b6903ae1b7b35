/**
 * The Firebase Auth emulator for the suites that sign in: started once, on first use (about ten
 * seconds), and stopped by the root hooks' afterAll; suites that never sign in never pay for it.
 * Helpers here talk to the emulator directly, as an admin would (accounts:update with the owner token).
 */
import { clearAuthEmulator, startAuthEmulator, updateEmulatorAccount, type AuthEmulator } from '../../scripts/lib/auth-emulator.js';
import { TEST_OUTPUT } from './test-environment.js';

const TEST_FIREBASE_PROJECT = 'demo-nna-test';

let shared: Promise<AuthEmulator> | undefined;

/** The shared emulator, emptied of accounts. */
export async function useAuthEmulator(): Promise<AuthEmulator> {
  shared ??= startAuthEmulator(`${TEST_OUTPUT}/auth-emulator`, TEST_FIREBASE_PROJECT);
  const emulator = await shared;
  await clearAuthEmulator(emulator);
  return emulator;
}

export async function stopSharedAuthEmulator(): Promise<void> {
  const started = shared;
  shared = undefined;
  if (started) await (await started).stop();
}

/** The API's environment for signing in against the emulator. */
export function authEnvironment(emulator: AuthEmulator): Record<string, string> {
  return { FIREBASE_AUTH_EMULATOR_HOST: emulator.host, FIREBASE_PROJECT_ID: emulator.projectId };
}

/** Sets custom claims directly (as the Firebase console would). */
export function setClaims(emulator: AuthEmulator, uid: string, claims: Record<string, unknown>): Promise<void> {
  return updateEmulatorAccount(emulator, { localId: uid, customAttributes: JSON.stringify(claims) });
}

/** Revokes every token issued so far (tokens issued in this same second stay valid: callers wait). */
export function revokeTokens(emulator: AuthEmulator, uid: string): Promise<void> {
  return updateEmulatorAccount(emulator, { localId: uid, validSince: String(Math.floor(Date.now() / 1000)) });
}

/** Accounts the emulator holds (to prove a refused request changed nothing). */
export async function accountCount(emulator: AuthEmulator): Promise<number> {
  const response = await fetch(`http://${emulator.host}/identitytoolkit.googleapis.com/v1/projects/${emulator.projectId}/accounts:batchGet?maxResults=1000`, {
    headers: { Authorization: 'Bearer owner' },
  });
  const body = (await response.json()) as { users?: unknown[] };
  return body.users?.length ?? 0;
}

/** An account as the emulator keeps it (accounts:lookup with the owner token): hash, salt, claims, validSince... */
export async function emulatorAccount(emulator: AuthEmulator, uid: string): Promise<Record<string, unknown> | undefined> {
  const response = await fetch(`http://${emulator.host}/identitytoolkit.googleapis.com/v1/projects/${emulator.projectId}/accounts:lookup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer owner' },
    body: JSON.stringify({ localId: [uid] }),
  });
  if (!response.ok) throw new Error(`accounts:lookup failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { users?: Array<Record<string, unknown>> }).users?.[0];
}

/** Signs in at the emulator directly (Identity Toolkit signInWithPassword), as a client of Firebase would; the status and body. */
export async function signInDirectly(emulator: AuthEmulator, email: string, password: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://${emulator.host}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=any`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password, returnSecureToken: true }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
