import type { Readable } from 'node:stream';
import type { BlobHeaders, BlobInfo, BlobStore, BlobWriteOptions } from '../../domain/ports/blob-store.js';
import type { Metrics } from '../../domain/ports/metrics.js';

/**
 * A blob store that counts the bytes it adds to and removes from its bucket (`storage_bytes`,
 * label `bucket`), so the admin stats show storage use without listing the bucket. Bytes written
 * by other means (the console, gsutil) are not seen; a delete costs one extra stat.
 */
export class MeteredBlobStore implements BlobStore {
  constructor(
    private readonly inner: BlobStore,
    private readonly bucket: string,
    private readonly metrics: Metrics,
  ) {}

  async write(name: string, data: Buffer | Readable, options: BlobWriteOptions): Promise<BlobInfo> {
    const info = await this.inner.write(name, data, options);
    this.metrics.count('storage_bytes', { bucket: this.bucket }, info.size);
    return info;
  }

  async delete(name: string): Promise<void> {
    const existing = await this.inner.stat(name);
    await this.inner.delete(name);
    if (existing) this.metrics.count('storage_bytes', { bucket: this.bucket }, -existing.size);
  }

  read(name: string): Promise<Buffer | undefined> {
    return this.inner.read(name);
  }
  readHead(name: string, bytes: number): Promise<Buffer | undefined> {
    return this.inner.readHead(name, bytes);
  }
  stat(name: string): Promise<BlobInfo | undefined> {
    return this.inner.stat(name);
  }
  move(from: string, to: string, headers?: BlobHeaders): Promise<BlobInfo> {
    return this.inner.move(from, to, headers);
  }
  publicUrl(name: string): string {
    return this.inner.publicUrl(name);
  }
}
