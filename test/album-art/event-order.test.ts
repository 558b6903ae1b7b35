/**
 * The processor's `stored` change and the storage event race in production. Both orders are forced
 * here deterministically (no timing): the real processor and generator classes run in this process
 * against the Firestore emulator, and a blob store hook decides when the generator sees the event.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { FsBlobStore } from '../../functions/adapters/blob-store/fs-blob-store.js';
import { AlbumArtProcessor } from '../../functions/album-art/album-art-processor.js';
import { FirestoreAlbumArtStore, originalName } from '../../functions/album-art/index.js';
import type { BlobInfo, BlobStore, BlobWriteOptions } from '../../functions/domain/ports/blob-store.js';
import type { Metrics } from '../../functions/domain/ports/metrics.js';
import { createLogger } from '../../functions/platform/logger.js';
import { VariantGenerator } from '../../functions/variants/variant-generator.js';
import { photoJpeg } from '../../scripts/lib/sample-images.js';
import { albumArtOf, seedPendingSong } from '../support/album-art-stack.js';
import { testFirestore } from '../support/firestore-direct.js';
import { testHistoryRecorder } from '../support/history-recorder.js';
import { startImageServer, type ImageServer } from '../support/image-server.js';
import { TEST_OUTPUT } from '../support/test-environment.js';

const BUCKET = 'nna-registry-album-art';
const noMetrics: Metrics = { count: () => undefined, observe: () => undefined };
const flags = { isEnabled: async () => true };
const logger = createLogger('ERROR');

/** The storage event of an object, as the generator receives it once its envelope is validated. */
function finalized(blob: BlobInfo) {
  return {
    specversion: '1.0' as const,
    id: `event-${blob.name}`,
    source: `//storage.googleapis.com/projects/_/buckets/${BUCKET}`,
    type: 'google.cloud.storage.object.v1.finalized',
    data: { bucket: BUCKET, name: blob.name, contentType: blob.contentType, size: blob.size, metadata: blob.metadata },
  };
}

describe('album art: the scan result lands whatever order the stored change and the storage event take', function () {
  this.timeout(60_000);
  let images: ImageServer;

  before(async () => {
    images = await startImageServer('127.0.0.2');
  });
  after(async () => {
    await images?.close();
  });

  function pipeline(eventFirst: boolean): { processor: AlbumArtProcessor; generator: VariantGenerator; store: FsBlobStore } {
    const store = new FsBlobStore(mkdtempSync(path.join(TEST_OUTPUT, 'event-order-')), 'http://album-art.test');
    const albumArt = new FirestoreAlbumArtStore(testFirestore(), 'assets', 'variants', testHistoryRecorder(), 10_000);
    const generator = new VariantGenerator({ blobStore: store, albumArt, flags, metrics: noMetrics, logger, bucket: BUCKET, crop: 'cover-centre' });
    // Event first: the generator handles the original's event before the write returns to the
    // processor, i.e. before its `stored` change. Otherwise the test delivers the event afterwards.
    const hooked: BlobStore = Object.assign(Object.create(store) as FsBlobStore, {
      write: async (name: string, data: Buffer, options: BlobWriteOptions) => {
        const blob = await store.write(name, data, options);
        if (eventFirst && name.startsWith('album-art/originals/')) await generator.handle(finalized(blob));
        return blob;
      },
    });
    const processor = new AlbumArtProcessor({
      albumArt: new FirestoreAlbumArtStore(testFirestore(), 'assets', 'album-art', testHistoryRecorder(), 10_000),
      blobStore: hooked,
      flags,
      metrics: noMetrics,
      logger,
      policy: {
        allowedHosts: ['127.0.0.2'],
        loopbackSources: ['127.0.0.2'],
        maxBytes: 10_000_000,
        connectTimeoutMs: 2000,
        idleTimeoutMs: 2000,
        deadlineMs: 5000,
      },
      maxPixels: 40_000_000,
      maxAttempts: 5,
      leaseMs: 60_000,
      scanner: { scan: async () => ({ clean: true }) },
      rateLimiter: { tryAcquire: async () => true },
    });
    return { processor, generator, store };
  }

  it('storage event after the stored change: ready, scanned recorded', async () => {
    images.add('/order-1.jpg', await photoJpeg(400, 300));
    const job = await seedPendingSong(`${images.url}/order-1.jpg`);
    const { processor, generator, store } = pipeline(false);
    expect(await processor.process(job)).to.equal('stored');
    expect((await albumArtOf(job.assetId))?.status).to.equal('stored');
    const sha256 = (await albumArtOf(job.assetId))!.sha256!;
    expect(await generator.handle(finalized((await store.stat(originalName(sha256)))!))).to.equal('ready');
    const art = await albumArtOf(job.assetId);
    expect(art).to.include({ status: 'ready', scanned: true });
    expect(art?.statusHistory?.map((entry) => entry.status)).to.deep.equal(['pending', 'processing', 'stored', 'ready']);
  });

  it('storage event before the stored change: ready, scanned recorded', async () => {
    images.add('/order-2.jpg', await photoJpeg(410, 300));
    const job = await seedPendingSong(`${images.url}/order-2.jpg`);
    const { processor } = pipeline(true);
    // The generator rendered the set while the asset was still `processing` and left it alone; the
    // processor's `stored` change then finds the set and completes the asset itself.
    expect(await processor.process(job)).to.equal('ready');
    const art = await albumArtOf(job.assetId);
    expect(art).to.include({ status: 'ready', scanned: true });
    expect(art?.original).to.include({ width: 410, height: 300 });
    expect(art?.statusHistory?.map((entry) => entry.status)).to.deep.equal(['pending', 'processing', 'stored', 'ready']);
  });
});
