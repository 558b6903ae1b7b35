/**
 * Starts the official Firestore and Pub/Sub emulators from the Google Cloud CLI on free loopback
 * ports, each in its own process group, and stops them.
 */
import type { ChildProcess } from 'node:child_process';
import { openSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './free-port.js';
import { spawnGroup, stopGroup } from './process-group.js';

export interface Emulator {
  name: string;
  host: string;
  /** The gcloud wrapper, leader of the emulator's process group: its exit is the emulator's. */
  child: ChildProcess;
  stop(): Promise<void>;
}

interface EmulatorKind {
  name: string;
  args: string[];
  install: string;
}

const FIRESTORE: EmulatorKind = {
  name: 'Firestore emulator',
  args: ['emulators', 'firestore', 'start'],
  install: 'apt-get install google-cloud-cli-firestore-emulator (or: gcloud components install cloud-firestore-emulator), with Java 17+',
};
const PUBSUB: EmulatorKind = {
  name: 'Pub/Sub emulator',
  args: ['beta', 'emulators', 'pubsub', 'start'],
  install: 'apt-get install google-cloud-cli-pubsub-emulator (or: gcloud components install pubsub-emulator), with Java 17+',
};

export class EmulatorMissingError extends Error {}

async function waitUntilReady(child: ChildProcess, kind: EmulatorKind, host: string, logPath: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      // Both emulators answer "Ok" at the root; anything else is another server that took the
      // port between freePort() and the JVM's bind (parallel runs on one machine).
      const response = await fetch(`http://${host}/`);
      if (response.ok && (await response.text()).trim() === 'Ok') return;
    } catch {
      // Not listening yet: keep polling until the deadline.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const log = readFileSync(logPath, 'utf8');
  if (/not installed|command not found|Invalid choice|ENOENT/i.test(log) || exited) {
    throw new EmulatorMissingError(`The ${kind.name} could not start. Install it: ${kind.install}. Its output:\n${log.slice(-2000)}`);
  }
  throw new Error(`The ${kind.name} did not answer on ${host} within ${timeoutMs / 1000}s. Its output:\n${log.slice(-2000)}`);
}

async function startEmulator(kind: EmulatorKind, logDirectory: string, timeoutMs: number, fixedPort?: number, extraArgs: string[] = []): Promise<Emulator> {
  const port = fixedPort ?? (await freePort());
  const host = `127.0.0.1:${port}`;
  mkdirSync(logDirectory, { recursive: true });
  const logPath = path.join(logDirectory, `${kind.args.at(-2)}-${port}.log`);
  const log = openSync(logPath, 'w');
  const child = spawnGroup('gcloud', [...kind.args, `--host-port=${host}`, '--quiet', ...extraArgs], { stdio: ['ignore', log, log] });
  const spawnFailure = new Promise<never>((_, reject) =>
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new EmulatorMissingError(`The Google Cloud CLI (gcloud) is not installed, so the ${kind.name} cannot start. Install: ${kind.install}`)
          : error,
      ),
    ),
  );
  try {
    await Promise.race([waitUntilReady(child, kind, host, logPath, timeoutMs), spawnFailure]);
  } catch (error) {
    await stopGroup(child);
    throw error;
  }
  return { name: kind.name, host, child, stop: () => stopGroup(child) };
}

export interface EmulatorOptions {
  /** A Firestore export's `.overall_export_metadata` file to load at start (the local stack's saved data). */
  firestoreImport?: string;
}

/** One Firestore emulator of its own (fault tests stop and restart it on the same port). */
export function startFirestoreEmulator(logDirectory: string, port?: number, timeoutMs = 90_000, options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator(FIRESTORE, logDirectory, timeoutMs, port, firestoreArgsOf(options));
}

/** One Pub/Sub emulator of its own (fault tests stop and restart it on the same port). */
export function startPubSubEmulator(logDirectory: string, port?: number, timeoutMs = 90_000): Promise<Emulator> {
  return startEmulator(PUBSUB, logDirectory, timeoutMs, port);
}

export interface EmulatorPair {
  firestore: Emulator;
  pubsub: Emulator;
  stop(): Promise<void>;
}

function firestoreArgsOf(options: EmulatorOptions): string[] {
  return options.firestoreImport ? [`--import-data=${options.firestoreImport}`] : [];
}

/** Both emulators, started in parallel; if one fails the other is stopped too. */
export async function startEmulators(logDirectory: string, timeoutMs = 90_000, options: EmulatorOptions = {}): Promise<EmulatorPair> {
  const results = await Promise.allSettled([
    startEmulator(FIRESTORE, logDirectory, timeoutMs, undefined, firestoreArgsOf(options)),
    startEmulator(PUBSUB, logDirectory, timeoutMs),
  ]);
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(started.map((emulator) => emulator.stop()));
    throw failure.reason;
  }
  const [firestore, pubsub] = started as [Emulator, Emulator];
  return { firestore, pubsub, stop: async () => void (await Promise.all([firestore.stop(), pubsub.stop()])) };
}

/** Deletes every document of a project's default database (the emulator's documented reset). */
export async function clearFirestore(host: string, projectId: string): Promise<void> {
  const response = await fetch(`http://${host}/emulator/v1/projects/${projectId}/databases/(default)/documents`, { method: 'DELETE' });
  if (!response.ok) throw new Error(`Clearing the Firestore emulator failed: ${response.status} ${await response.text()}`);
}
