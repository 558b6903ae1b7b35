/** The processAlbumArt function under functions-framework, and direct Pub/Sub CloudEvents to it. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { VARIANTS_PREFIX } from '../../functions/album-art/index.js';
import { startBlobHttpServer } from '../../scripts/lib/blob-http-server.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { startTestFunction, type ApiServer } from './api-server.js';
import { testFirestore } from './firestore-direct.js';
import { TEST_OUTPUT, TEST_PROJECT } from './test-environment.js';

/** A function server and its blob directory (the album-art bucket is its `album-art-bucket`). */
export type AlbumArtFunction = ApiServer;

/** Test settings: short time limits so timeouts happen within a test, two attempts before failing. */
const FAST_LIMITS = {
  ALBUM_ART_CONNECT_TIMEOUT_MS: '1500',
  ALBUM_ART_IDLE_TIMEOUT_MS: '1500',
  ALBUM_ART_DEADLINE_MS: '3000',
  ALBUM_ART_TEST_MAX_ATTEMPTS: '2',
};

export function startAlbumArtFunction(env: Record<string, string>): Promise<AlbumArtFunction> {
  return startTestFunction('processAlbumArt', 'cloudevent', { ALBUM_ART_PUBLIC_BASE_URL: 'http://album-art.test', LOG_LEVEL: 'INFO', ...FAST_LIMITS, ...env });
}

export interface JobMessage {
  assetId: string;
  sourceUrl: string;
  requestId: string;
}

/** A Pub/Sub message as a binary-mode CloudEvent, as Eventarc delivers it. Returns the HTTP status. */
export async function deliver(functionUrl: string, job: JobMessage, messageId: string = randomUUID()): Promise<number> {
  const response = await fetch(functionUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'ce-id': messageId,
      'ce-specversion': '1.0',
      'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
      'ce-source': `//pubsub.googleapis.com/projects/${TEST_PROJECT}/topics/album-art-jobs`,
    },
    body: JSON.stringify({
      message: { data: Buffer.from(JSON.stringify(job)).toString('base64'), messageId, attributes: { assetId: job.assetId, jobId: job.requestId } },
      subscription: `projects/${TEST_PROJECT}/subscriptions/album-art-jobs-process-album-art`,
    }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** A Songs asset written straight to Firestore with album art pending for a new job. */
export async function seedPendingSong(sourceUrl: string): Promise<JobMessage> {
  const reference = testFirestore().collection('assets').doc();
  const requestId = randomUUID();
  const at = new Date().toISOString();
  await reference.set({
    name: 'G.POP.TSW.001',
    nna_address: '1.001.001.001',
    layer: 'G',
    category: 'Pop',
    subcategory: 'Taylor Swift Works',
    description: 'a song',
    tags: [],
    source: 'ReViz',
    files: [],
    metadata: {},
    status: 'active',
    createdBy: 'test@example.com',
    createdAt: at,
    updatedAt: at,
    albumArt: { source: 'iTunes', sourceUrl, status: 'pending', jobId: requestId, attempts: 0, statusHistory: [{ status: 'pending', at, jobId: requestId }] },
  });
  return { assetId: reference.id, sourceUrl, requestId };
}

export interface AlbumArtState {
  status?: string;
  jobId?: string;
  attempts?: number;
  scanned?: boolean;
  error?: { code: string; message: string; attempts: number };
  original?: { objectName?: string; sha256: string; contentType: string; width: number; height: number; bytes: number; url?: string };
  sha256?: string;
  lease?: { holder: string; expiresAt: string };
  statusHistory?: Array<{ status: string; at: string; jobId: string; note?: string }>;
  sourceUrl?: string;
}

export async function albumArtOf(assetId: string): Promise<AlbumArtState | undefined> {
  const snapshot = await testFirestore().collection('assets').doc(assetId).get();
  return snapshot.get('albumArt') as AlbumArtState | undefined;
}

/** Polls until the asset's album art reaches one of the statuses (the push path is asynchronous). */
export async function waitForStatus(assetId: string, statuses: string[], timeoutMs = 25_000): Promise<AlbumArtState> {
  const deadline = Date.now() + timeoutMs;
  let last: AlbumArtState | undefined;
  while (Date.now() < deadline) {
    last = await albumArtOf(assetId);
    if (last?.status && statuses.includes(last.status)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`album art of ${assetId} did not reach ${statuses.join('/')}; last: ${JSON.stringify(last)}`);
}

/**
 * The whole album-art path on one bucket directory: the album-art bucket served over HTTP the way
 * the CDN serves it (variants only), generateVariants, and processAlbumArt announcing its originals
 * to it. `env` is added to the processor's settings.
 */
export interface AlbumArtPipeline {
  blobDirectory: string;
  /** `<blobDirectory>/album-art-bucket`: the bucket's files. */
  bucketDirectory: string;
  /** The public base URL (ALBUM_ART_PUBLIC_BASE_URL). */
  publicBase: string;
  /** The settings every function of the pipeline (the API included) shares. */
  shared: Record<string, string>;
  processor: AlbumArtFunction;
  variants: ApiServer;
  stop(): Promise<void>;
}

export async function startAlbumArtPipeline(sourceHost: string, env: Record<string, string> = {}): Promise<AlbumArtPipeline> {
  const blobDirectory = mkdtempSync(path.join(TEST_OUTPUT, 'pipeline-blobs-'));
  const bucketDirectory = path.join(blobDirectory, 'album-art-bucket');
  const port = await freePort();
  const publicBase = `http://127.0.0.1:${port}`;
  const blobServer = await startBlobHttpServer(bucketDirectory, port, publicBase, [VARIANTS_PREFIX]);
  // The API shows a source as the image only while its host is on the allow-list: it gets the same one.
  const shared = { BLOB_DIR: blobDirectory, ALBUM_ART_PUBLIC_BASE_URL: publicBase, ALBUM_ART_ALLOWED_HOSTS: sourceHost };
  const variants = await startTestFunction('generateVariants', 'cloudevent', shared);
  const processor = await startAlbumArtFunction({
    ...shared,
    STORAGE_EVENTS_URL: variants.url,
    ALBUM_ART_ALLOWED_HOSTS: sourceHost,
    ALBUM_ART_ALLOW_LOOPBACK_SOURCES: sourceHost,
    ALBUM_ART_SCAN: 'off',
    ...env,
  });
  return {
    blobDirectory,
    bucketDirectory,
    publicBase,
    shared,
    processor,
    variants,
    stop: async () => {
      await Promise.all([processor.stop(), variants.stop()]);
      blobServer.close();
    },
  };
}
