/**
 * `npm start`: the whole suite on this machine. Starts the Firestore and Pub/Sub emulators, each
 * function under functions-framework, an HTTP server for stored blobs, seeds demo data through the
 * API on a first run and prints the URLs. Data is kept between runs (Firestore saved at stop and
 * loaded at start, stored files left in .data/blobs); `npm start -- --fresh` starts empty. Ctrl-C
 * stops every process it started.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import { DEMO_ASSETS } from './demo-data.js';
import { VARIANTS_PREFIX } from '../functions/album-art/index.js';
import { setUpAlbumArtPubSub } from './lib/album-art-pubsub.js';
import { startBlobHttpServer } from './lib/blob-http-server.js';
import { startAuthEmulator, updateEmulatorAccount, type AuthEmulator } from './lib/auth-emulator.js';
import { startEmulators, type EmulatorPair } from './lib/emulators.js';
import { savedFirestoreExport, saveFirestore } from './lib/firestore-persistence.js';
import { freePort, portIsFree } from './lib/free-port.js';
import { startFunctionServer, type FunctionServer } from './lib/function-server.js';
import { fileServerPorts, forgetFileServerPorts } from './lib/stack-ports.js';
import { removeStackState, STACK_DATA_DIRECTORY, writeStackState } from './lib/stack-state.js';

const dataDirectory = STACK_DATA_DIRECTORY;
const logDirectory = path.join(dataDirectory, 'logs');
const blobDirectory = path.join(dataDirectory, 'blobs');
const firestoreDataDirectory = path.join(dataDirectory, 'firestore');
const fresh = process.argv.includes('--fresh');
const projectId = process.env['GOOGLE_CLOUD_PROJECT'] ?? 'nna-registry-local';
const DEMO_TOKEN = 'Bearer dev:demo@example.com:editor,admin';

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

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nstopping the local stack...');
    removeStackState();
    blobServer?.close();
    albumArtServer?.close();
    await Promise.all(servers.map((server) => server.stop()));
    if (emulators && started) {
      try {
        await saveFirestore(emulators.firestore.host, projectId, firestoreDataDirectory);
        console.log(`Firestore data saved in ${firestoreDataDirectory} (npm start -- --fresh starts empty)`);
      } catch (error) {
        // The stack still stops; the previous save, if any, is left as it was.
        console.error(`could not save the Firestore data: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    await Promise.all([emulators?.stop(), authEmulator?.stop()]);
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
    forgetFileServerPorts();
  }
  mkdirSync(blobDirectory, { recursive: true });
  // Stored URLs carry the file servers' ports: the same ones on every start while the data is kept.
  const { ports, problem } = await fileServerPorts({ apiPort: port, ...(process.env['BLOB_PORT'] ? { blobPort: Number(process.env['BLOB_PORT']) } : {}) });
  if (!ports) {
    console.error(problem);
    process.exit(1);
  }
  const blobPort = ports.files;
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
  ]);
  const blobBaseUrl = `http://127.0.0.1:${blobPort}`;
  blobServer = await startBlobHttpServer(blobDirectory, blobPort, blobBaseUrl);
  // The album-art bucket gets its own server, as it has its own public URL; like the CDN it serves the
  // variants only, never the private originals.
  const albumArtPort = ports.albumArt;
  const albumArtBaseUrl = `http://127.0.0.1:${albumArtPort}`;
  albumArtServer = await startBlobHttpServer(path.join(blobDirectory, 'album-art-bucket'), albumArtPort, albumArtBaseUrl, [VARIANTS_PREFIX]);
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
  };
  servers.push(await startFunctionServer({ target: 'generateVariants', signatureType: 'cloudevent', port: variantsPort, env, logDirectory }));
  const albumArt = await startFunctionServer({ target: 'processAlbumArt', signatureType: 'cloudevent', env, logDirectory });
  servers.push(albumArt);
  // Topics and the push subscription exist before the API publishes its first job.
  await (await setUpAlbumArtPubSub({ projectId, functionUrl: albumArt.url, emulatorHost: emulators.pubsub.host })).close();
  servers.push(await startFunctionServer({ target: 'api', signatureType: 'http', port, env, logDirectory }));
  const apiUrl = `http://127.0.0.1:${port}/api`;
  // Demo data only into an empty registry: a kept registry already has its own.
  const seeded = firestoreImport ? 0 : await seedDemoData(apiUrl);
  await seedDemoAccounts(apiUrl, authEmulator);
  started = true;
  writeStackState({ pid: process.pid, projectId, apiUrl, firestoreHost: emulators.firestore.host, pubsubHost: emulators.pubsub.host });

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
  Data (kept)         ${dataDirectory}   (npm start -- --fresh starts empty)

  ${seeded > 0 ? `${seeded} demo assets seeded.` : 'Registry data loaded from the last run.'} Writes need a dev token, for example:
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
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await stopAll(1);
});
