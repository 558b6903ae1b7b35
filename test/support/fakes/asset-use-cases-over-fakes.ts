/**
 * The asset use cases wired as the API wires them (functions/http/api-context.ts, through
 * assetUseCases), over the in-memory fakes and a blob store in a temporary directory: no emulator,
 * no HTTP, a clock the test moves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FsBlobStore } from '../../../functions/adapters/blob-store/fs-blob-store.js';
import { AlbumArtRequests, ContentAddressedAlbumArtFiles, OutboxRelay } from '../../../functions/album-art/index.js';
import { assetUseCases, type AssetUseCases } from '../../../functions/assets/asset-use-cases.js';
import type { UploadedFile } from '../../../functions/domain/upload-policy.js';
import type { BlobStore } from '../../../functions/domain/ports/blob-store.js';
import type { FlagName } from '../../../functions/domain/ports/feature-flags.js';
import type { MessagePublisher } from '../../../functions/domain/ports/outbox.js';
import type { MetricLabels, MetricName, Metrics } from '../../../functions/domain/ports/metrics.js';
import { taxonomy } from '../../../functions/domain/taxonomy/taxonomy.js';
import { createLogger } from '../../../functions/platform/logger.js';
import { InMemoryAssetStore } from './in-memory-asset-store.js';
import { InMemoryFeatureFlags } from './in-memory-feature-flags.js';

/** Messages published, in order; `failing` makes the next publishes fail (Pub/Sub down). */
class RecordingPublisher implements MessagePublisher {
  readonly published: Array<{ topic: string; data: Record<string, unknown>; attributes: Record<string, string> }> = [];
  failing = false;

  publish(topic: string, data: Record<string, unknown>, attributes: Record<string, string>): Promise<string> {
    if (this.failing) return Promise.reject(new Error('Pub/Sub is down'));
    this.published.push({ topic, data, attributes });
    return Promise.resolve(String(this.published.length));
  }
}

class RecordingMetrics implements Metrics {
  readonly observed: Array<{ name: MetricName; value: number; labels?: MetricLabels | undefined }> = [];
  count(): void {}
  observe(name: MetricName, value: number, labels?: MetricLabels): void {
    this.observed.push({ name, value, labels });
  }
}

export const ALBUM_ART_TOPIC = 'album-art-jobs';
const ASSETS_BASE_URL = 'http://assets.test';
export const RETENTION_DAYS = 30;

export interface UseCaseWorld {
  assets: AssetUseCases;
  store: InMemoryAssetStore;
  flags: InMemoryFeatureFlags;
  blobs: BlobStore;
  albumArtBlobs: BlobStore;
  publisher: RecordingPublisher;
  metrics: RecordingMetrics;
  /** The service's clock; move it with `advance`. */
  now(): Date;
  advance(milliseconds: number): void;
  /** A file staged as the request body parser stages it, to hand to create or upload. */
  stage(bytes: Buffer, mimeType: string, originalName: string): Promise<UploadedFile>;
  close(): void;
}

export function assetUseCasesOverFakes(options: { flags?: Partial<Record<FlagName, boolean>>; blobs?: (store: BlobStore) => BlobStore } = {}): UseCaseWorld {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'use-cases-'));
  const store = new InMemoryAssetStore();
  const flags = new InMemoryFeatureFlags(options.flags);
  const fsBlobs = new FsBlobStore(path.join(directory, 'assets'), ASSETS_BASE_URL);
  const blobs = options.blobs ? options.blobs(fsBlobs) : fsBlobs;
  const albumArtBlobs = new FsBlobStore(path.join(directory, 'album-art'), 'http://album-art.test');
  const publisher = new RecordingPublisher();
  const metrics = new RecordingMetrics();
  let clock = new Date('2026-03-01T12:00:00.000Z').getTime();
  const relay = new OutboxRelay(store.outbox, publisher, createLogger('ERROR'));
  const assets = assetUseCases({
    writes: store.writes,
    queries: store.queries,
    deleted: store.deleted,
    blobStore: blobs,
    flags,
    taxonomy,
    albumArt: new AlbumArtRequests({ flags, relay, topic: ALBUM_ART_TOPIC }),
    clock: () => new Date(clock),
    history: store.history,
    albumArtFiles: new ContentAddressedAlbumArtFiles(albumArtBlobs),
    deletedRetentionDays: RETENTION_DAYS,
    metrics,
  });
  let staged = 0;
  return {
    assets,
    store,
    flags,
    blobs,
    albumArtBlobs,
    publisher,
    metrics,
    now: () => new Date(clock),
    advance(milliseconds) {
      clock += milliseconds;
    },
    async stage(bytes, mimeType, originalName) {
      const blob = await blobs.write(`staging/upload-${++staged}`, bytes, { contentType: 'application/octet-stream' });
      return { blob, mimeType, originalName };
    },
    close() {
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
