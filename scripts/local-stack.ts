/**
 * `npm start`: the whole suite on this machine. Starts the Firestore and Pub/Sub emulators, each
 * function under functions-framework, an HTTP server for stored blobs, seeds demo data through the
 * API on a first run and prints the URLs. Data is kept between runs and across crashes (Firestore
 * saved every few seconds when it changed and at stop, loaded at start; stored files left in
 * .data/blobs); `npm start -- --fresh` starts empty. Everything listens on 127.0.0.1; `HOST` moves
 * the API. Ctrl-C stops every process it started.
 * The functions run from their deployed bundles, built at start into a directory of this run's own
 * (.stack-code/<pid>/): a rebuild of dist/ while the stack runs (`npm run import`, `npm run migrate`,
 * an edit and `npm run build`) never changes the code it serves, lazily loaded parts included.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import { bundleFunctions } from './build/function-bundles.js';
import { DEMO_ASSETS } from './demo-data.js';
import { VARIANTS_PREFIX } from '../functions/album-art/index.js';
import { publishedAssetPrefixes } from '../functions/domain/asset-file-names.js';
import { taxonomy } from '../functions/domain/taxonomy/taxonomy.js';
import { setUpAlbumArtPubSub } from './lib/album-art-pubsub.js';
import { startBlobHttpServer } from './lib/blob-http-server.js';
import { startAuthEmulator, updateEmulatorAccount, type AuthEmulator } from './lib/auth-emulator.js';
import { startEmulators, type EmulatorPair } from './lib/emulators.js';
import { savedFirestoreExport, saveFirestore } from './lib/firestore-persistence.js';
import { raiseSequenceCounters } from './lib/sequence-marks.js';
import { freePort, portIsFree } from './lib/free-port.js';
import { startFunctionServer, type FunctionServer } from './lib/function-server.js';
import { fileServerPorts, forgetFileServerPorts } from './lib/stack-ports.js';
import { isRunning, PROJECT_ROOT, removeStackState, STACK_DATA_DIRECTORY, writeStackState } from './lib/stack-state.js';

const dataDirectory = STACK_DATA_DIRECTORY;
const logDirectory = path.join(dataDirectory, 'logs');
const blobDirectory = path.join(dataDirectory, 'blobs');
const firestoreDataDirectory = path.join(dataDirectory, 'firestore');
/** Every sequence number the API gives out, noted outside Firestore (scripts/lib/sequence-marks.ts). */
const sequenceJournal = path.join(dataDirectory, 'sequence-marks.jsonl');
/** This run's function bundles: inside the project, where they find the packages they leave installed. */
const codeRoot = path.join(PROJECT_ROOT, '.stack-code');
const codeDirectory = path.join(codeRoot, String(process.pid));

/** The bundles of stacks that were killed before they could remove them; those of running stacks stay. */
function removeOrphanedCode(): void {
  if (!existsSync(codeRoot)) return;
  for (const entry of readdirSync(codeRoot)) {
    if (/^\d+$/.test(entry) && !isRunning(Number(entry))) rmSync(path.join(codeRoot, entry), { recursive: true, force: true });
  }
}
const fresh = process.argv.includes('--fresh');
/** A cutover rehearsal imports the old backend's assets into an empty registry: no demo assets in their way. */
const demoAssets = !process.argv.includes('--no-demo');
const projectId = process.env['GOOGLE_CLOUD_PROJECT'] ?? 'nna-registry-local';
const DEMO_TOKEN = 'Bearer dev:demo@example.com:editor,admin';
/** How often Firestore is saved while the stack runs: what a crash can lose at most (a test may wait longer). */
const SAVE_EVERY_MS = Number(process.env['LOCAL_STACK_SAVE_EVERY_MS'] ?? 5_000);
/** Where the API listens; the other servers stay on loopback whatever it is. */
const host = process.env['HOST'] ?? '127.0.0.1';

/** Sign-in accounts for the web frontend's dev server (Auth emulator only: nothing real). */
const DEMO_ACCOUNTS = [
  { username: 'demo-editor', email: 'editor@demo.local', password: 'demo-editor-1', roles: ['editor'] },
  { username: 'demo-admin', email: 'admin@demo.local', password: 'demo-admin-1', roles: ['editor', 'admin'] },
];

let emulators: EmulatorPair | undefined;
let authEmulator: AuthEmulator | undefined;
const servers: FunctionServer[] = [];
let blobServer: Server | undefined;
let albumArtServer: Server | undefined;
let stopping = false;
/** Set once the stack is up: only a stack that came up has data worth saving over the last save. */
let started = false;
let saveTimer: NodeJS.Timeout | undefined;
/** The save in progress, if any: saves never overlap. */
let saving: Promise<void> | undefined;
let lastSaved: Date | undefined;
let saveFailing = false;

/** Saves Firestore now, unless a save is already running; reports a failure once, not every tick. */
function saveData(): Promise<void> {
  saving ??= saveFirestore(emulators!.firestore.host, projectId, firestoreDataDirectory)
    .then(() => {
      lastSaved = new Date();
      if (saveFailing) console.log('Firestore data saved again.');
      saveFailing = false;
    })
    .catch((error: unknown) => {
      if (!saveFailing) {
        const kept = lastSaved ? `the save of ${lastSaved.toLocaleTimeString()} is kept` : 'the previous save, if any, is kept';
        console.error(`could not save the Firestore data (${kept}): ${error instanceof Error ? error.message : String(error)}`);
      }
      saveFailing = true;
    })
    .finally(() => (saving = undefined));
  return saving;
}

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nstopping the local stack...');
    removeStackState();
    clearInterval(saveTimer);
    blobServer?.close();
    albumArtServer?.close();
    await Promise.all(servers.map((server) => server.stop()));
    if (emulators && started) {
      await saving;
      await saveData();
      // A failed save has said so; the stack still stops, the last complete save left as it was.
      if (!saveFailing) console.log(`Firestore data saved in ${firestoreDataDirectory} (npm start -- --fresh starts empty)`);
    }
    await Promise.all([emulators?.stop(), authEmulator?.stop()]);
    rmSync(codeDirectory, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

async function seedDemoData(apiUrl: string): Promise<number> {
  let created = 0;
  for (const asset of DEMO_ASSETS) {
    const response = await fetch(`${apiUrl}/assets`, {
      method: 'POST',
      headers: { Authorization: DEMO_TOKEN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ source: 'ReViz', ...asset }),
    });
    if (response.status !== 201) throw new Error(`seeding ${asset.layer}.${asset.category} failed: ${response.status} ${await response.text()}`);
    created++;
  }
  return created;
}

/** Stops before starting anything when a port the stack must use is taken, naming it in one line. */
async function requireFreePorts(ports: Record<string, number>): Promise<void> {
  for (const [variable, port] of Object.entries(ports)) {
    if (!(await portIsFree(port))) {
      console.error(`Port ${port} (${variable}) is already in use by another program; stop it or choose another port: ${variable}=<port> npm start`);
      process.exit(1);
    }
  }
}

/** Registers the demo accounts through the API (as the frontend does), then sets their roles. */
async function seedDemoAccounts(apiUrl: string, auth: AuthEmulator): Promise<void> {
  for (const account of DEMO_ACCOUNTS) {
    const response = await fetch(`${apiUrl}/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: account.username, email: account.email, password: account.password }),
    });
    if (response.status !== 201) throw new Error(`registering ${account.email} failed: ${response.status} ${await response.text()}`);
    const { data } = (await response.json()) as { data: { user: { id: string } } };
    await updateEmulatorAccount(auth, { localId: data.user.id, customAttributes: JSON.stringify({ roles: account.roles }) });
  }
}

async function main(): Promise<void> {
  // No metadata server on this machine: without this the Google clients probe for one and warn.
  process.env['METADATA_SERVER_DETECTION'] ??= 'none';
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  const port = Number(process.env['PORT'] ?? 8080);
  await requireFreePorts({ PORT: port, ...(process.env['BLOB_PORT'] ? { BLOB_PORT: Number(process.env['BLOB_PORT']) } : {}) });
  if (fresh) {
    rmSync(blobDirectory, { recursive: true, force: true });
    rmSync(firestoreDataDirectory, { recursive: true, force: true });
    rmSync(sequenceJournal, { force: true });
    forgetFileServerPorts();
  }
  mkdirSync(blobDirectory, { recursive: true });
  removeOrphanedCode();
  // Stored URLs carry the file servers' ports: the same ones on every start while the data is kept.
  const { ports, problem } = await fileServerPorts({ apiPort: port, ...(process.env['BLOB_PORT'] ? { blobPort: Number(process.env['BLOB_PORT']) } : {}) });
  if (!ports) {
    console.error(problem);
    process.exit(1);
  }
  const blobPort = ports.files;
  const blobBaseUrl = `http://127.0.0.1:${blobPort}`;
  // The kept file-server ports are taken at once, before the emulators start: their start opens
  // loopback connections whose local ports could otherwise take a kept port in the meantime.
  // Only what the API publishes, as production makes only that public: never staged uploads, nor
  // the album-art bucket kept beneath this directory.
  blobServer = await startBlobHttpServer(blobDirectory, blobPort, blobBaseUrl, publishedAssetPrefixes(taxonomy.layers.map((layer) => layer.code)));
  // The album-art bucket gets its own server, as it has its own public URL; like the CDN it serves the
  // variants only, never the private originals.
  const albumArtPort = ports.albumArt;
  const albumArtBaseUrl = `http://127.0.0.1:${albumArtPort}`;
  albumArtServer = await startBlobHttpServer(path.join(blobDirectory, 'album-art-bucket'), albumArtPort, albumArtBaseUrl, [VARIANTS_PREFIX]);
  const firestoreImport = savedFirestoreExport(firestoreDataDirectory);

  console.log(
    firestoreImport
      ? `starting the emulators (Firestore with the data saved in ${firestoreDataDirectory})...`
      : 'starting the Firestore, Pub/Sub and Firebase Auth emulators...',
  );
  // The Auth emulator starts empty every time: the demo accounts are registered again below.
  [emulators, authEmulator] = await Promise.all([
    startEmulators(logDirectory, undefined, firestoreImport ? { firestoreImport } : {}),
    startAuthEmulator(path.join(dataDirectory, 'auth')),
    bundleFunctions(codeDirectory),
  ]);
  // A crash loses the writes after the last save, but never the names they were given: the counters
  // go back up to every number the API handed out, so none names another asset.
  const raised = await raiseSequenceCounters(emulators.firestore.host, projectId, sequenceJournal);
  if (raised.length > 0) {
    console.log(
      `The last run ended before its last writes were saved; names it gave out are not given again: ${raised
        .map(({ counter, from, to }) => `${counter.split('/')[1]} ${from} -> ${to}`)
        .join(', ')}`,
    );
  }
  const variantsPort = await freePort();
  const env = {
    DEPLOY_ENV: 'local',
    GOOGLE_CLOUD_PROJECT: projectId,
    FIRESTORE_EMULATOR_HOST: emulators.firestore.host,
    PUBSUB_EMULATOR_HOST: emulators.pubsub.host,
    FIREBASE_AUTH_EMULATOR_HOST: authEmulator.host,
    FIREBASE_PROJECT_ID: authEmulator.projectId,
    BLOB_DIR: blobDirectory,
    BLOB_PUBLIC_BASE_URL: blobBaseUrl,
    ALBUM_ART_PUBLIC_BASE_URL: albumArtBaseUrl,
    // Eventarc's stand-in: every album-art write posts a finalized CloudEvent to generateVariants.
    STORAGE_EVENTS_URL: `http://127.0.0.1:${variantsPort}/`,
    SEQUENCE_JOURNAL_FILE: path.resolve(sequenceJournal),
  };
  servers.push(
    await startFunctionServer({
      target: 'generateVariants',
      signatureType: 'cloudevent',
      port: variantsPort,
      env,
      logDirectory,
      source: path.join(codeDirectory, 'generateVariants'),
    }),
  );
  const albumArt = await startFunctionServer({
    target: 'processAlbumArt',
    signatureType: 'cloudevent',
    env,
    logDirectory,
    source: path.join(codeDirectory, 'processAlbumArt'),
  });
  servers.push(albumArt);
  // Topics and the push subscription exist before the API publishes its first job.
  await (await setUpAlbumArtPubSub({ projectId, functionUrl: albumArt.url, emulatorHost: emulators.pubsub.host })).close();
  const api = await startFunctionServer({ target: 'api', signatureType: 'http', port, env, logDirectory, host, source: path.join(codeDirectory, 'api') });
  servers.push(api);
  const apiUrl = `${api.url}/api`;
  // Demo data only into an empty registry: a kept registry already has its own.
  const seeded = firestoreImport || !demoAssets ? 0 : await seedDemoData(apiUrl);
  await seedDemoAccounts(apiUrl, authEmulator);
  started = true;
  saveTimer = setInterval(() => void saveData(), SAVE_EVERY_MS);
  writeStackState({
    pid: process.pid,
    projectId,
    apiUrl,
    firestoreHost: emulators.firestore.host,
    pubsubHost: emulators.pubsub.host,
    authHost: authEmulator.host,
    firebaseProjectId: authEmulator.projectId,
  });

  console.log(`
NNA Registry local stack is up.

  API                 ${apiUrl}            (an index of links; try ${apiUrl}/assets)
  Health              ${apiUrl}/health   (readiness: ${apiUrl}/health/ready)
  Status page         http://127.0.0.1:${port}/admin#token=${DEMO_TOKEN.replace('Bearer ', '')}
  OpenAPI             ${apiUrl}/openapi.json
  Stored files        ${blobBaseUrl}/
  Album art           ${albumArtBaseUrl}/   (variants: generateVariants on :${variantsPort})
  processAlbumArt     ${albumArt.url}   (Pub/Sub push from album-art-jobs)
  Firestore emulator  ${emulators.firestore.host}
  Pub/Sub emulator    ${emulators.pubsub.host}
  Auth emulator       ${authEmulator.host}   (Firebase project ${authEmulator.projectId})
  Logs                ${logDirectory}
  Data (kept)         ${dataDirectory}   (saved within ${SAVE_EVERY_MS / 1000} s of a change and at stop; --fresh starts empty)
${listeningNote(port)}
  ${seeded > 0 ? `${seeded} demo assets seeded.` : firestoreImport ? 'Registry data loaded from the last run.' : 'An empty registry (--no-demo).'} Writes need a dev token, for example:
    curl -H 'Authorization: ${DEMO_TOKEN}' -H 'Content-Type: application/json' \\
      -d '{"layer":"S","category":"POP","subcategory":"BAS","description":"My star"}' ${apiUrl}/assets

  Sign in (POST ${apiUrl}/auth/login, or the web frontend: see docs/frontend.md):
${DEMO_ACCOUNTS.map((account) => `    ${account.email.padEnd(20)} password ${account.password.padEnd(16)} roles ${account.roles.join(', ')}`).join('\n')}
  New registrations get the editor role (REGISTRATION_ROLES).

Press Ctrl-C to stop everything.`);

  for (const server of servers) {
    server.child.once('exit', (code) => {
      if (stopping) return;
      console.error(`${server.target} exited (${code}); see ${server.logPath}`);
      void stopAll(1);
    });
  }
  for (const emulator of [emulators.firestore, emulators.pubsub]) {
    emulator.child.once('exit', (code, signal) => {
      if (stopping) return;
      const kept = emulator === emulators?.firestore && lastSaved ? `; its data as saved at ${lastSaved.toLocaleTimeString()} is kept` : '';
      console.error(`The ${emulator.name} exited (${signal ?? code})${kept}. Stopping; npm start again brings it back.`);
      void stopAll(1);
    });
  }
}

function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || address.startsWith('127.');
}

/** What the API's address means for who can reach it, printed under the index. */
function listeningNote(port: number): string {
  if (isLoopback(host)) return `  Only this machine can reach the API (HOST=${host}); HOST=0.0.0.0 npm start opens it to the network.\n`;
  const fromNetwork = ['true', '1', 'yes', 'on'].includes((process.env['DEV_TOKENS_FROM_NETWORK'] ?? '').toLowerCase());
  return `  The API listens on ${host}:${port}: the network can reach it. ${
    fromNetwork
      ? 'DEV_TOKENS_FROM_NETWORK=true: anyone there can send a dev or Auth-emulator token and act as any user, admin included.'
      : 'Its dev and Auth-emulator tokens are unsigned, so it takes them only from this machine (DEV_TOKENS_FROM_NETWORK=true takes them from anyone).'
  }\n`;
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await stopAll(1);
});
