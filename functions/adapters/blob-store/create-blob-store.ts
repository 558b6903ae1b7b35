import path from 'node:path';
import type { Readable } from 'node:stream';
import { publicUrlOf, type BlobHeaders, type BlobInfo, type BlobStore, type BlobWriteOptions } from '../../domain/ports/blob-store.js';
import type { Config } from '../../platform/config.js';
import type { Logger } from '../../platform/logger.js';
import { FsBlobStore, type FinalizedListener } from './fs-blob-store.js';
import { StorageEventNotifier } from './storage-event-notifier.js';

/**
 * Loads the GCS client on the first storage operation: the API needs it only for uploads, and its
 * import would otherwise add to every cold start.
 */
class LazyGcsBlobStore implements BlobStore {
  private store: Promise<BlobStore> | undefined;

  constructor(
    private readonly bucket: string,
    private readonly publicBaseUrl: string,
  ) {}

  private load(): Promise<BlobStore> {
    this.store ??= import('./gcs-blob-store.js').then(({ GcsBlobStore }) => new GcsBlobStore(this.bucket, this.publicBaseUrl));
    return this.store;
  }

  publicUrl(name: string): string {
    return publicUrlOf(this.publicBaseUrl, name);
  }
  async write(name: string, data: Buffer | Readable, options: BlobWriteOptions): Promise<BlobInfo> {
    return (await this.load()).write(name, data, options);
  }
  async read(name: string): Promise<Buffer | undefined> {
    return (await this.load()).read(name);
  }
  async readHead(name: string, bytes: number): Promise<Buffer | undefined> {
    return (await this.load()).readHead(name, bytes);
  }
  async stat(name: string): Promise<BlobInfo | undefined> {
    return (await this.load()).stat(name);
  }
  async move(from: string, to: string, headers?: BlobHeaders): Promise<BlobInfo> {
    return (await this.load()).move(from, to, headers);
  }
  async delete(name: string): Promise<void> {
    return (await this.load()).delete(name);
  }
}

/** Which bucket a store serves: asset files, or album art (originals and their variants). */
export type BlobBucket = 'assets' | 'albumArt';

/**
 * The blob store of a bucket. Locally the album-art store, when STORAGE_EVENTS_URL is set, posts a
 * finalized CloudEvent for every object it writes, as Eventarc does for the bucket in the cloud.
 */
export function createBlobStore(config: Config, bucket: BlobBucket = 'assets', logger?: Logger): BlobStore {
  const target = bucket === 'assets' ? config.blobStore : config.albumArtStore;
  if (config.blobStore.kind === 'gcs') return new LazyGcsBlobStore(target.bucket, target.publicBaseUrl);
  let listener: FinalizedListener | undefined;
  const directory = path.resolve(bucket === 'assets' ? config.blobStore.directory : config.albumArtStore.directory);
  if (bucket === 'albumArt' && config.storageEventsUrl && logger) {
    const notifier = new StorageEventNotifier({ url: config.storageEventsUrl, bucket: target.bucket, logger });
    listener = (blob) => {
      void Promise.all([store.headers(blob.name), store.read(blob.name)])
        .then(([headers, data]) =>
          notifier.notify(blob, { ...(headers?.cacheControl ? { cacheControl: headers.cacheControl } : {}), ...(data ? { data } : {}) }),
        )
        .catch((error: unknown) => logger.warn('storage event not sent: the object could not be read back', { object: blob.name, error }));
    };
  }
  const store = new FsBlobStore(directory, target.publicBaseUrl, listener);
  return store;
}
