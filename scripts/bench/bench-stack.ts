/** Emulators and function servers for benchmarks, started and stopped like the test harness does. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulators, type EmulatorPair } from '../lib/emulators.js';
import { startFunctionServer, type FunctionServer } from '../lib/function-server.js';

export const BENCH_PROJECT = 'nna-bench';

export interface BenchStack {
  emulators: EmulatorPair;
  api: FunctionServer;
  stop(): Promise<void>;
}

/** An API function server on the bench emulators, with its own scratch directory. */
export function startBenchApi(emulators: EmulatorPair, env: Record<string, string> = {}): Promise<FunctionServer> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'nna-bench-'));
  return startFunctionServer({
    target: 'api',
    signatureType: 'http',
    logDirectory: path.join(scratch, 'logs'),
    env: {
      DEPLOY_ENV: 'test',
      GOOGLE_CLOUD_PROJECT: BENCH_PROJECT,
      FIRESTORE_EMULATOR_HOST: emulators.firestore.host,
      PUBSUB_EMULATOR_HOST: emulators.pubsub.host,
      BLOB_DIR: path.join(scratch, 'blobs'),
      BLOB_PUBLIC_BASE_URL: 'http://blobs.bench',
      LOG_LEVEL: 'WARNING',
      ...env,
    },
  });
}

export async function startBenchStack(env: Record<string, string> = {}): Promise<BenchStack> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'nna-bench-'));
  const emulators = await startEmulators(path.join(scratch, 'logs'));
  process.env['FIRESTORE_EMULATOR_HOST'] = emulators.firestore.host;
  process.env['PUBSUB_EMULATOR_HOST'] = emulators.pubsub.host;
  try {
    const api = await startBenchApi(emulators, env);
    return { emulators, api, stop: async () => { await api.stop(); await emulators.stop(); } };
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}
