/**
 * The album-art pipeline end to end in process, for the benchmark: the real processor and variant
 * generator against the Firestore emulator and a filesystem bucket, the storage event delivered to
 * the generator right after each original is written, as Eventarc does.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Firestore } from '@google-cloud/firestore';
import { FsBlobStore } from '../../functions/adapters/blob-store/fs-blob-store.js';
import { HistoryRecorder } from '../../functions/adapters/firestore/firestore-history.js';
import { AlbumArtProcessor } from '../../functions/album-art/album-art-processor.js';
import { FirestoreAlbumArtStore, type AlbumArtJob } from '../../functions/album-art/index.js';
import type { BlobStore, BlobWriteOptions } from '../../functions/domain/ports/blob-store.js';
import type { Metrics } from '../../functions/domain/ports/metrics.js';
import type { DownloadPolicy, Resolver } from '../../functions/album-art/safe-download.js';
import { loadConfig } from '../../functions/platform/config.js';
import { createLogger } from '../../functions/platform/logger.js';
import { VariantGenerator } from '../../functions/variants/variant-generator.js';

const BUCKET = 'nna-registry-album-art';
const noMetrics: Metrics = { count: () => undefined, observe: () => undefined };

export class BenchPipeline {
  readonly processor: AlbumArtProcessor;
  private readonly events = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Firestore,
    policy: DownloadPolicy,
    resolve: Resolver,
  ) {
    const store = new FsBlobStore(mkdtempSync(path.join(os.tmpdir(), 'nna-bench-art-')), 'http://album-art.bench');
    const history = new HistoryRecorder(loadConfig().dataSafety);
    const albumArt = new FirestoreAlbumArtStore(db, 'assets', 'variants', history, 30_000);
    const logger = createLogger('ERROR');
    const flags = { isEnabled: async () => true };
    const generator = new VariantGenerator({ blobStore: store, albumArt, flags, metrics: noMetrics, logger, bucket: BUCKET, crop: 'cover-centre' });
    const events = this.events;
    const eventing: BlobStore = Object.assign(Object.create(store) as FsBlobStore, {
      write: async (name: string, data: Buffer, options: BlobWriteOptions) => {
        const blob = await store.write(name, data, options);
        if (name.startsWith('album-art/originals/')) {
          const event = { specversion: '1.0' as const, id: randomUUID(), source: 'bench', type: 'google.cloud.storage.object.v1.finalized', data: { ...blob, bucket: BUCKET } };
          const handled = generator.handle(event).finally(() => events.delete(handled));
          events.add(handled);
        }
        return blob;
      },
    });
    this.processor = new AlbumArtProcessor({
      albumArt: new FirestoreAlbumArtStore(db, 'assets', 'album-art', history, 30_000),
      blobStore: eventing,
      flags,
      metrics: noMetrics,
      logger,
      policy,
      maxPixels: 40_000_000,
      maxAttempts: 5,
      leaseMs: 120_000,
      scanner: undefined,
      rateLimiter: { tryAcquire: async () => true },
      resolve,
    });
  }

  /** A Songs asset with album art pending for a new job, as the API writes it. */
  async request(sourceUrl: string): Promise<AlbumArtJob> {
    const reference = this.db.collection('assets').doc();
    const requestId = randomUUID();
    const at = new Date().toISOString();
    await reference.set({ layer: 'G', name: 'G.POP.TSW.001', albumArt: { source: 'iTunes', sourceUrl, status: 'pending', jobId: requestId, attempts: 0, statusHistory: [{ status: 'pending', at, jobId: requestId }] } });
    return { assetId: reference.id, sourceUrl, requestId };
  }

  /** Waits for the storage events in flight, then reads the asset's status and attempts. */
  async settle(assetId: string): Promise<{ status: string; attempts: number }> {
    while (this.events.size > 0) await Promise.all([...this.events]);
    const art = (await this.db.collection('assets').doc(assetId).get()).get('albumArt') as { status: string; attempts: number };
    return art;
  }
}
