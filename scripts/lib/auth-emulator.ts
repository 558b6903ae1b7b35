/**
 * The Firebase Authentication emulator from the firebase-tools devDependency (pure Node, offline),
 * on free loopback ports with a generated firebase.json, in its own process group. Its hub and
 * logging ports are chosen free too, so parallel runs do not collide on firebase's defaults.
 */
import { mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { spawnGroup, stopGroup } from './process-group.js';

export interface AuthEmulator {
  /** `127.0.0.1:<port>`, for FIREBASE_AUTH_EMULATOR_HOST. */
  host: string;
  projectId: string;
  stop(): Promise<void>;
}

/** A `demo-` project: the emulator then never looks for real credentials or resources. */
const LOCAL_FIREBASE_PROJECT = 'demo-nna-registry';

const FIREBASE_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../node_modules/.bin/firebase');

export async function startAuthEmulator(
  workDirectory: string,
  projectId = LOCAL_FIREBASE_PROJECT,
  timeoutMs = 90_000,
  fixedPort?: number,
): Promise<AuthEmulator> {
  mkdirSync(workDirectory, { recursive: true });
  const directory = mkdtempSync(path.join(workDirectory, 'auth-emulator-'));
  const [port, hub, logging] = [fixedPort ?? (await freePort()), await freePort(), await freePort()];
  const host = `127.0.0.1:${port}`;
  const emulators = {
    auth: { host: '127.0.0.1', port },
    hub: { host: '127.0.0.1', port: hub },
    logging: { host: '127.0.0.1', port: logging },
    ui: { enabled: false },
  };
  writeFileSync(path.join(directory, 'firebase.json'), JSON.stringify({ emulators }, null, 2));
  const logPath = path.join(directory, 'emulator.log');
  const log = openSync(logPath, 'w');
  const child = spawnGroup(FIREBASE_BIN, ['emulators:start', '--only', 'auth', '--project', projectId, '--config', 'firebase.json'], {
    cwd: directory,
    stdio: ['ignore', log, log],
    // firebase-tools keeps its settings under XDG_CONFIG_HOME: a private one keeps runs apart.
    env: { ...process.env, XDG_CONFIG_HOME: directory, FIREBASE_CLI_DISABLE_UPDATE_CHECK: 'true' },
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited) {
    try {
      // The emulator names itself at its root; another server that took the port between
      // freePort() and the emulator's bind (parallel runs on one machine) does not.
      const response = await fetch(`http://${host}/`);
      const body = response.ok ? ((await response.json().catch(() => ({}))) as { authEmulator?: { ready?: unknown } }) : {};
      if (body.authEmulator?.ready === true) return { host, projectId, stop: () => stopGroup(child) };
    } catch {
      // Not listening yet: keep polling until the deadline.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stopGroup(child);
  throw new Error(
    `The Firebase Auth emulator did not start on ${host} (is firebase-tools installed? npm ci). Its output:\n${readFileSync(logPath, 'utf8').slice(-2000)}`,
  );
}

/** Deletes every account of the project (the emulator's documented reset). */
export async function clearAuthEmulator(emulator: Pick<AuthEmulator, 'host' | 'projectId'>): Promise<void> {
  const response = await fetch(`http://${emulator.host}/emulator/v1/projects/${emulator.projectId}/accounts`, { method: 'DELETE' });
  if (!response.ok) throw new Error(`Clearing the Auth emulator failed: ${response.status} ${await response.text()}`);
}

/** An admin change to an account (accounts:update with the emulator's `owner` token), e.g. custom claims. */
export async function updateEmulatorAccount(emulator: Pick<AuthEmulator, 'host' | 'projectId'>, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`http://${emulator.host}/identitytoolkit.googleapis.com/v1/projects/${emulator.projectId}/accounts:update`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer owner' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`accounts:update failed: ${response.status} ${await response.text()}`);
}
