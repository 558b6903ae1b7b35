import path from 'node:path';
import type { Readable } from 'node:stream';
import { publicUrlOf, type BlobInfo, type BlobStore, type BlobWriteOptions } from '../../domain/ports/blob-store.js';
import type { Config } from '../../platform/config.js';
import { FsBlobStore, type FinalizedListener } from './fs-blob-store.js';

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
  async stat(name: string): Promise<BlobInfo | undefined> {
    return (await this.load()).stat(name);
  }
  async move(from: string, to: string): Promise<BlobInfo> {
    return (await this.load()).move(from, to);
  }
  async delete(name: string): Promise<void> {
    return (await this.load()).delete(name);
  }
}

export function createBlobStore(config: Config, onFinalized?: FinalizedListener): BlobStore {
  const { kind, directory, bucket, publicBaseUrl } = config.blobStore;
  if (kind === 'gcs') return new LazyGcsBlobStore(bucket, publicBaseUrl);
  return new FsBlobStore(path.resolve(directory), publicBaseUrl, onFinalized);
}

/** Local directory of the album-art bucket, inside the blob directory so one HTTP server serves both. */
export const ALBUM_ART_LOCAL_DIRECTORY = 'album-art-bucket';

/** The album-art bucket's own store: GCS in the cloud, `<BLOB_DIR>/album-art-bucket` locally. */
export function createAlbumArtBlobStore(config: Config, onFinalized?: FinalizedListener): BlobStore {
  const { bucket, publicBaseUrl } = config.albumArt;
  if (config.blobStore.kind === 'gcs') return new LazyGcsBlobStore(bucket, publicBaseUrl);
  return new FsBlobStore(path.resolve(config.blobStore.directory, ALBUM_ART_LOCAL_DIRECTORY), publicBaseUrl, onFinalized);
}
