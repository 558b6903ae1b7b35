/**
 * The API function under the real functions-framework, wired to the test emulators.
 *
 * By default it runs in the test process: the API is built from a configuration made from this
 * suite's environment, registered with functions-framework under a name of its own and served by
 * functions-framework's testing entry (the same Express server, body parsers and wrappers as
 * `functions-framework --target=api`), so a suite pays no process start. A suite that needs what
 * only a separate process gives (other emulator hosts, a process that can crash or be killed, two
 * instances that share nothing) asks for one with `{ process: true }` and says why.
 */
import { appendFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { startFunctionServer, type FunctionServer } from '../../scripts/lib/function-server.js';
import { createApiFunction } from '../../functions/http/api-function.js';
import { loadConfig } from '../../functions/platform/config.js';
import { createLogger } from '../../functions/platform/logger.js';
import { createRuntime, type RuntimeOptions } from '../../functions/runtime.js';
import { TEST_OUTPUT, TEST_PROJECT } from './test-environment.js';

export interface ApiServer {
  url: string;
  port: number;
  blobDirectory: string;
  /** Where the API's log entries go (LOG_LEVEL WARNING unless the suite sets it). */
  logPath: string;
  /** The status of the first answered request (OPTIONS /, which also starts the instance's start-up work). */
  firstStatus: number;
  /** True while the API can answer: its process has not exited, or its in-process server still listens. */
  running(): boolean;
  stop(): Promise<void>;
}

/** An API in a separate functions-framework process. */
export interface ApiProcess extends ApiServer, FunctionServer {}

export interface ApiOptions {
  /** A separate functions-framework process instead of the test process (the suite says why). */
  process?: boolean;
  /** In the test process only: the API's clock (sign-in throttling windows). */
  clock?: () => Date;
}

const LOG_DIRECTORY = path.join(TEST_OUTPUT, 'functions');

/** What every test API starts with; the suite's own variables override it. */
function baseEnvironment(blobDirectory: string): Record<string, string> {
  return {
    DEPLOY_ENV: 'test',
    GOOGLE_CLOUD_PROJECT: TEST_PROJECT,
    FIRESTORE_EMULATOR_HOST: process.env['FIRESTORE_EMULATOR_HOST']!,
    PUBSUB_EMULATOR_HOST: process.env['PUBSUB_EMULATOR_HOST']!,
    BLOB_DIR: blobDirectory,
    BLOB_PUBLIC_BASE_URL: 'http://blobs.test',
    LOG_LEVEL: 'WARNING',
    // The root hook empties Firestore under the API between tests, which no write of the API sees: a
    // listing page shared across that would be another test's. The suites of sharing set their own.
    LISTING_SHARE_MS: '0',
  };
}

export function startApi(env?: Record<string, string>, options?: { process?: false; clock?: () => Date }): Promise<ApiServer>;
export function startApi(env: Record<string, string>, options: { process: true }): Promise<ApiProcess>;
export function startApi(env: Record<string, string> = {}, options: ApiOptions = {}): Promise<ApiServer> {
  return startChosenApi(env, options);
}

/** In the test process unless the suite asks for a process: what startApi and useApi both start. */
function startChosenApi(env: Record<string, string>, options: ApiOptions): Promise<ApiServer> {
  return options.process ? startApiProcess(env) : startApiInProcess(env, options.clock ? { clock: options.clock } : {});
}

function startApiProcess(env: Record<string, string> = {}): Promise<ApiProcess> {
  return startTestFunction('api', 'http', env);
}

/**
 * Any function of the project in its own process, wired to the test emulators, with its own blob
 * directory; on 127.0.0.1 unless `host` says otherwise.
 */
export async function startTestFunction(
  target: string,
  signatureType: 'http' | 'cloudevent',
  env: Record<string, string> = {},
  host?: string,
  /** The function's package directory (a bundle); this project's dist/ by default. */
  source?: string,
): Promise<ApiProcess> {
  const blobDirectory = mkdtempSync(path.join(TEST_OUTPUT, 'blobs-'));
  const server = await startFunctionServer({
    target,
    signatureType,
    logDirectory: LOG_DIRECTORY,
    env: { ...baseEnvironment(blobDirectory), ...env },
    ...(host ? { host } : {}),
    ...(source ? { source } : {}),
  });
  return { ...server, blobDirectory, running: () => server.child.exitCode === null && server.child.signalCode === null };
}

/**
 * Settings one process holds once for every API in it, so an in-process API must leave them as the
 * test process has them: the emulator hosts, which the Google client libraries read from process.env
 * themselves; and the project, since the Firestore client is one per process (getFirestore).
 */
const PROCESS_WIDE = ['FIRESTORE_EMULATOR_HOST', 'PUBSUB_EMULATOR_HOST', 'GOOGLE_CLOUD_PROJECT'] as const;

/**
 * firebase-admin reads FIREBASE_AUTH_EMULATOR_HOST from process.env on each call. The suites that
 * sign in all use the one shared Auth emulator, so an in-process API sets it for its lifetime.
 */
const AUTH_EMULATOR = 'FIREBASE_AUTH_EMULATOR_HOST';
let authEmulatorUsers = 0;

function holdAuthEmulatorHost(host: string | undefined): () => void {
  if (host === undefined) return () => undefined;
  const current = process.env[AUTH_EMULATOR];
  if (authEmulatorUsers > 0 && current !== host) {
    throw new Error(`useApi: another in-process API uses the Auth emulator at ${current}; this one wants ${host}: use { process: true }`);
  }
  authEmulatorUsers += 1;
  process.env[AUTH_EMULATOR] = host;
  return () => {
    authEmulatorUsers -= 1;
    if (authEmulatorUsers === 0) delete process.env[AUTH_EMULATOR];
  };
}

let inProcessCount = 0;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function close(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  // A stopped process drops its connections at once; so does this (keep-alive sockets included).
  server.closeAllConnections();
  await closed;
}

export async function startApiInProcess(env: Record<string, string> = {}, runtimeOptions: RuntimeOptions = {}): Promise<ApiServer> {
  const blobDirectory = mkdtempSync(path.join(TEST_OUTPUT, 'blobs-'));
  const processDefaults: NodeJS.ProcessEnv = { ...process.env, ...baseEnvironment(blobDirectory) };
  // What a spawned API would see: the test process's environment, the test defaults, the suite's variables.
  const environment: NodeJS.ProcessEnv = { ...processDefaults, ...env };
  for (const name of PROCESS_WIDE) {
    if (environment[name] !== processDefaults[name]) {
      throw new Error(`useApi: ${name}=${environment[name]} is held once per process and this one has ${processDefaults[name]}: use { process: true }`);
    }
  }
  const config = loadConfig(environment);
  const name = `api-in-process-${++inProcessCount}`;
  mkdirSync(LOG_DIRECTORY, { recursive: true });
  const logPath = path.join(LOG_DIRECTORY, `${name}-${process.pid}.log`);
  // Synchronous appends: entries written after stop (late work) still land, and nothing reaches mocha's output.
  const logger = createLogger(config.logLevel, {}, (line) => appendFileSync(logPath, `${line}\n`));
  const releaseAuthEmulator = holdAuthEmulatorHost(environment[AUTH_EMULATOR]);
  const runtime = createRuntime(config, logger, runtimeOptions);
  const api = createApiFunction(runtime);
  functions.http(name, api);
  const server = getTestServer(name);
  // As functions-framework's main does: no idle timeout on incoming connections.
  server.setTimeout(0);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      if (server.listening) await close(server);
      // Work this instance started must not write into a later test, nor its timer outlive it.
      await api.startUpWorkDone();
      await runtime.close();
      releaseAuthEmulator();
      // functions-framework keeps every registration: leave a stub so the API's objects can be freed.
      functions.http(name, (_request, response) => void response.status(410).send('stopped'));
    })());
  try {
    const port = await listen(server);
    const url = `http://127.0.0.1:${port}`;
    // The same first request as a spawned API's readiness poll: it also starts the instance's start-up work.
    const first = await fetch(`${url}/`, { method: 'OPTIONS' });
    await first.arrayBuffer();
    return { url, port, blobDirectory, logPath, firstStatus: first.status, running: () => server.listening, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The API for the enclosing `describe`: started before its first test, stopped after its last.
 * Replaces the same before/after pair in every API suite; the handle is usable inside tests and hooks.
 */
export function useApi(env?: Record<string, string>, options?: { process?: false; clock?: () => Date }): ApiServer;
export function useApi(env: Record<string, string>, options: { process: true }): ApiProcess;
export function useApi(env: Record<string, string> = {}, options: ApiOptions = {}): ApiServer {
  let server: ApiServer | undefined;
  before(async function () {
    this.timeout(60_000);
    server = await startChosenApi(env, options);
  });
  after(async () => server?.stop());
  return startedInBeforeHook('useApi', () => server);
}

/**
 * What a `use…` helper returns at a suite's definition for a server its before hook starts: each
 * property is read from the server once it exists, and reading one earlier says so.
 */
export function startedInBeforeHook<T extends object>(helper: string, current: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const started = current();
      if (!started) throw new Error(`${helper}: the API starts in a before hook; read it inside a test or a later hook`);
      return Reflect.get(started, key);
    },
  });
}
