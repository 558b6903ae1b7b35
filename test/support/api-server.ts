/** The API function under the real functions-framework server, wired to the test emulators. */
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { startFunctionServer, type FunctionServer } from '../../scripts/lib/function-server.js';
import { TEST_OUTPUT, TEST_PROJECT } from './test-environment.js';

export interface ApiServer extends FunctionServer {
  blobDirectory: string;
}

export function startApi(env: Record<string, string> = {}): Promise<ApiServer> {
  return startTestFunction('api', 'http', env);
}

/** Any function of the project, wired to the test emulators, with its own blob directory. */
export async function startTestFunction(target: string, signatureType: 'http' | 'cloudevent', env: Record<string, string> = {}): Promise<ApiServer> {
  const blobDirectory = mkdtempSync(path.join(TEST_OUTPUT, 'blobs-'));
  const server = await startFunctionServer({
    target,
    signatureType,
    logDirectory: path.join(TEST_OUTPUT, 'functions'),
    env: {
      DEPLOY_ENV: 'test',
      GOOGLE_CLOUD_PROJECT: TEST_PROJECT,
      FIRESTORE_EMULATOR_HOST: process.env['FIRESTORE_EMULATOR_HOST']!,
      PUBSUB_EMULATOR_HOST: process.env['PUBSUB_EMULATOR_HOST']!,
      BLOB_DIR: blobDirectory,
      BLOB_PUBLIC_BASE_URL: 'http://blobs.test',
      LOG_LEVEL: 'WARNING',
      ...env,
    },
  });
  return { ...server, blobDirectory };
}

/**
 * The API for the enclosing `describe`: started before its first test, stopped after its last.
 * Replaces the same before/after pair in every API suite; the handle is usable inside tests and hooks.
 */
export function useApi(env: Record<string, string> = {}): ApiServer {
  let server: ApiServer | undefined;
  before(async function () {
    this.timeout(60_000);
    server = await startApi(env);
  });
  after(async () => server?.stop());
  return new Proxy({} as ApiServer, {
    get(_target, key) {
      if (!server) throw new Error('useApi: the API starts in a before hook; read it inside a test or a later hook');
      return Reflect.get(server, key);
    },
  });
}
