/**
 * Cold start of the deployed bundles under functions-framework, from spawn to the first answered
 * request, side by side with the bare minimum a Firestore-backed function pays: a functions-framework
 * function that imports the Firestore client and reads one document. Both first requests read the
 * same document of the Firestore emulator, polled every few milliseconds so the polling does not
 * hide the difference; median of alternating runs. For information: the API run unbundled from
 * dist/ (as before the bundles), a bare function that reads nothing, and the two pipeline functions' bundles to
 * their first answer (the 405 any request but their event gets; sharp loads on the first event).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleFunctions } from '../build/function-bundles.js';
import { startFirestoreEmulator } from '../lib/emulators.js';
import { startFunctionServer, type FunctionServer, type FunctionServerOptions } from '../lib/function-server.js';
import { BENCH_ROOT, median, writeResult, type BenchResult } from './bench-report.js';
import { restEmulatorFirestoreSource } from './rest-emulator-firestore.js';

const RUNS = 7;
const POLL_MS = 5;
const PROJECT = 'nna-cold-start';

type Start = Pick<FunctionServerOptions, 'target' | 'env' | 'source' | 'firstRequest'> & { expectedStatus?: number };

async function timeStart(start: Start, logDirectory: string, attempt = 1): Promise<number> {
  const started = process.hrtime.bigint();
  let server: FunctionServer;
  try {
    server = await startFunctionServer({ ...start, signatureType: 'http', logDirectory, pollMs: POLL_MS });
  } catch (error) {
    // Another process on the machine took the free port first: that start measured nothing, try again.
    if (attempt < 3 && String(error).includes('EADDRINUSE')) return timeStart(start, logDirectory, attempt + 1);
    throw error;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  await server.stop();
  if (server.firstStatus !== (start.expectedStatus ?? 200)) throw new Error(`${start.target} answered its first request with ${server.firstStatus}; see ${server.logPath}`);
  return elapsed;
}

/** A function package of its own, outside this project, loading the client from this project's node_modules. */
function writeBareFunction(directory: string, body: string): string {
  mkdirSync(directory);
  writeFileSync(path.join(directory, 'package.json'), JSON.stringify({ name: path.basename(directory), main: 'index.js' }));
  writeFileSync(path.join(directory, 'index.js'), body);
  return directory;
}

export async function runColdStartBench(): Promise<BenchResult> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'nna-cold-'));
  const logs = path.join(scratch, 'logs');
  const firestore = await startFirestoreEmulator(logs);
  // Inside the project, so the bundles find the packages they leave installed (functions-framework, sharp).
  const bundles = path.join(BENCH_ROOT, `../.bench-bundles-${process.pid}`);
  try {
    await bundleFunctions(bundles);
    const env = { FIRESTORE_EMULATOR_HOST: firestore.host, GOOGLE_CLOUD_PROJECT: PROJECT, METADATA_SERVER_DETECTION: 'none' };
    const apiStart: Start = {
      target: 'api',
      env: { ...env, DEPLOY_ENV: 'test', BLOB_DIR: path.join(scratch, 'blobs'), LOG_LEVEL: 'WARNING' },
      firstRequest: { method: 'GET', path: '/api/assets/missing' },
    };
    // The document both first requests read: an asset created through the API itself.
    const seeding = await startFunctionServer({ ...apiStart, signatureType: 'http', logDirectory: logs });
    const created = await fetch(`${seeding.url}/api/assets`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev:bench@example.com:editor', 'content-type': 'application/json' },
      body: JSON.stringify({ layer: 'G', category: 'Pop', subcategory: 'Base', description: 'Cold-start probe' }),
    });
    await seeding.stop();
    const { data } = (await created.json()) as { data?: { id: string } };
    if (!data) throw new Error(`seeding the asset failed with ${created.status}`);
    apiStart.firstRequest = { method: 'GET', path: `/api/assets/${data.id}` };

    const firestoreModule = path.join(BENCH_ROOT, '../node_modules/@google-cloud/firestore');
    const authModule = path.join(BENCH_ROOT, '../node_modules/google-auth-library');
    const bareReadFunction = (name: string, transport: 'grpc' | 'rest'): Start => ({
      target: 'read',
      env,
      firstRequest: { method: 'GET', path: '/' },
      source: writeBareFunction(
        path.join(scratch, name),
        (transport === 'grpc'
          ? `const { Firestore } = require(${JSON.stringify(firestoreModule)});\nconst db = new Firestore({ projectId: ${JSON.stringify(PROJECT)} });\n`
          : restEmulatorFirestoreSource(PROJECT, firestoreModule, authModule)) +
          `exports.read = async (req, res) => { const doc = await db.doc(${JSON.stringify(`assets/${data.id}`)}).get(); res.status(doc.exists ? 200 : 404).send('ok'); };\n`,
      ),
    });
    const bareRead = bareReadFunction('bare-read', 'grpc');
    const bareRestRead = bareReadFunction('bare-rest-read', 'rest');
    const apiBundle: Start = { ...apiStart, source: path.join(bundles, 'api') };
    const pipelineEnv = { ...apiStart.env, STORAGE_EVENTS_URL: 'http://127.0.0.1:9/' };
    const pipeline = (name: 'processAlbumArt' | 'generateVariants'): Start => ({
      target: name,
      env: pipelineEnv,
      firstRequest: { method: 'GET', path: '/' },
      expectedStatus: 405,
      source: path.join(bundles, name),
    });
    const bare: Start = {
      target: 'hello',
      env: {},
      firstRequest: { method: 'GET', path: '/' },
      source: writeBareFunction(path.join(scratch, 'bare'), "exports.hello = (req, res) => res.send('ok');\n"),
    };

    const starts = { bareRead, bareRestRead, api: apiBundle, apiUnbundled: apiStart, bare, albumArt: pipeline('processAlbumArt'), variants: pipeline('generateVariants') };
    const times = Object.fromEntries(Object.keys(starts).map((name) => [name, [] as number[]])) as Record<keyof typeof starts, number[]>;
    for (let run = 0; run < RUNS; run++) {
      for (const [name, start] of Object.entries(starts) as Array<[keyof typeof starts, Start]>) times[name].push(await timeStart(start, logs));
    }
    const [bareMs, bareReadMs, apiMs] = [median(times.bare), median(times.bareRead), median(times.api)];
    return writeResult(
      'cold-start',
      'cold start',
      `Spawn of functions-framework to its first answered request of each function's bundle (GET of one asset for the API; the same document read by a bare function that imports the installed Firestore client, over its default gRPC transport and, for information, over REST), median of ${RUNS} alternating runs, polled every ${POLL_MS} ms, Firestore emulator. The API's bundle holds the Firestore client (one copy of google-gax); it loads no image, pipeline, storage or token-verification code at start, and of its routes only the read of one asset: the other route groups, their services and zod schemas load on their first request; it sends its first answer before the outbox redrive (test/domain/module-graph.test.ts).`,
      [
        { name: 'bare functions-framework start (no Firestore), for information', value: bareMs, unit: 'ms' },
        { name: 'bare function importing the Firestore client and reading one document', value: bareReadMs, unit: 'ms' },
        { name: 'the same bare function over the REST transport (preferRest), for information', value: median(times.bareRestRead), unit: 'ms' },
        { name: 'API function (its bundle) start to its first answer (GET of one asset)', value: apiMs, unit: 'ms' },
        { name: 'API unbundled (dist/, as before the bundles), for information', value: median(times.apiUnbundled), unit: 'ms' },
        { name: 'API cost over the bare Firestore read', value: apiMs - bareReadMs, unit: 'ms' },
        { name: 'ratio API/bare Firestore read', value: apiMs / bareReadMs, unit: 'x', goal: { comparison: '<=', target: 1.0 } },
        { name: 'processAlbumArt (its bundle) start to its first answer', value: median(times.albumArt), unit: 'ms' },
        { name: 'ratio processAlbumArt/bare Firestore read', value: median(times.albumArt) / bareReadMs, unit: 'x' },
        { name: 'generateVariants (its bundle) start to its first answer', value: median(times.variants), unit: 'ms' },
        { name: 'ratio generateVariants/bare Firestore read', value: median(times.variants) / bareReadMs, unit: 'x' },
      ],
    );
  } finally {
    await firestore.stop();
    rmSync(bundles, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}
