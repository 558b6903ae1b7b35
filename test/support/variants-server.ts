/**
 * The variant generator under the real functions-framework, wired to the test emulators and a
 * temporary album-art directory, with the album-art store of the test process posting the same
 * CloudEvents to it as Eventarc would (and the function's own store posting its outputs' events).
 */
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { createBlobStore } from '../../functions/adapters/blob-store/create-blob-store.js';
import type { FsBlobStore } from '../../functions/adapters/blob-store/fs-blob-store.js';
import type { AlbumArt } from '../../functions/domain/schemas/album-art.js';
import { loadConfig } from '../../functions/platform/config.js';
import { createLogger } from '../../functions/platform/logger.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { startFunctionServer, type FunctionServer } from '../../scripts/lib/function-server.js';
import { testFirestore } from './firestore-direct.js';
import { TEST_OUTPUT, TEST_PROJECT } from './test-environment.js';

export const ALBUM_ART_BASE = 'http://album-art.test';

export interface VariantsServer extends FunctionServer {
  blobDirectory: string;
  env: Record<string, string>;
  /** The album-art store as the album-art processor would use it: its writes post finalized events. */
  store: FsBlobStore;
}

export async function startVariants(extraEnv: Record<string, string> = {}): Promise<VariantsServer> {
  const blobDirectory = mkdtempSync(path.join(TEST_OUTPUT, 'variant-blobs-'));
  const port = await freePort();
  const env = {
    DEPLOY_ENV: 'test',
    GOOGLE_CLOUD_PROJECT: TEST_PROJECT,
    FIRESTORE_EMULATOR_HOST: process.env['FIRESTORE_EMULATOR_HOST']!,
    BLOB_DIR: blobDirectory,
    ALBUM_ART_PUBLIC_BASE_URL: ALBUM_ART_BASE,
    STORAGE_EVENTS_URL: `http://127.0.0.1:${port}/`,
    LOG_LEVEL: 'INFO',
    ...extraEnv,
  };
  const server = await startFunctionServer({
    target: 'generateVariants',
    signatureType: 'cloudevent',
    port,
    env,
    logDirectory: path.join(TEST_OUTPUT, 'functions'),
  });
  const store = createBlobStore(loadConfig(env), 'albumArt', createLogger('ERROR')) as FsBlobStore;
  return { ...server, blobDirectory, env, store };
}

/** Reads the asset's album art until `done` holds (or fails the test after the timeout). */
export async function waitForAlbumArt(assetId: string, done: (art: AlbumArt | undefined) => boolean, timeoutMs = 20_000): Promise<AlbumArt> {
  const deadline = Date.now() + timeoutMs;
  let art: AlbumArt | undefined;
  while (Date.now() < deadline) {
    art = (await testFirestore().collection('assets').doc(assetId).get()).get('albumArt') as AlbumArt | undefined;
    if (done(art)) return art!;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`album art of ${assetId} did not reach the expected state; last: ${JSON.stringify(art)}`);
}

/** An asset document whose album-art job `jobId` is under way, as the album-art processor leaves it. */
export async function seedAsset(assetId: string, albumArt: Partial<AlbumArt> & { jobId: string }): Promise<void> {
  await testFirestore()
    .collection('assets')
    .doc(assetId)
    .set({
      name: 'G.POP.TSW.001',
      nna_address: '1.001.001.001',
      layer: 'G',
      description: 'A song',
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
      albumArt: { source: 'iTunes', sourceUrl: 'https://example.com/art.jpg', status: 'processing', ...albumArt },
    });
}

/** Posts a finalized CloudEvent (binary mode) straight to the function, as a redelivery would. */
export async function postFinalized(url: string, object: Record<string, unknown>, eventId = `evt-${Math.random()}`): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'ce-specversion': '1.0',
      'ce-type': 'google.cloud.storage.object.v1.finalized',
      'ce-source': `//storage.googleapis.com/projects/_/buckets/${String(object['bucket'])}`,
      'ce-subject': `objects/${String(object['name'])}`,
      'ce-id': eventId,
      'ce-time': new Date().toISOString(),
    },
    body: JSON.stringify(object),
  });
  await response.arrayBuffer();
  return response.status;
}
