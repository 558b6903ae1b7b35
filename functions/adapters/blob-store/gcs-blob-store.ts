/** Cloud Storage in production. Create-only writes use the `ifGenerationMatch: 0` precondition. */
import { Storage, type Bucket } from '@google-cloud/storage';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertSafeBlobName,
  BlobExistsError,
  publicUrlOf,
  type BlobHeaders,
  type BlobInfo,
  type BlobStore,
  type BlobWriteOptions,
} from '../../domain/ports/blob-store.js';

/** The HTTP statuses Cloud Storage's JSON API answers that the store turns into outcomes. */
const GCS_STATUS = { NOT_FOUND: 404, PRECONDITION_FAILED: 412, RANGE_NOT_SATISFIABLE: 416 } as const;

function statusOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

export class GcsBlobStore implements BlobStore {
  private readonly bucket: Bucket;

  constructor(
    bucketName: string,
    private readonly publicBaseUrl: string,
    storage = new Storage(),
  ) {
    this.bucket = storage.bucket(bucketName);
  }

  publicUrl(name: string): string {
    return publicUrlOf(this.publicBaseUrl, name);
  }

  async write(name: string, data: Buffer | Readable, options: BlobWriteOptions): Promise<BlobInfo> {
    assertSafeBlobName(name);
    const file = this.bucket.file(name);
    const stream = file.createWriteStream({
      resumable: false,
      contentType: options.contentType,
      metadata: { cacheControl: options.cacheControl, metadata: options.metadata ?? {} },
      ...(options.ifNotExists ? { preconditionOpts: { ifGenerationMatch: 0 } } : {}),
    });
    try {
      await pipeline(Buffer.isBuffer(data) ? Readable.from([data]) : data, stream);
    } catch (error) {
      if (statusOf(error) === GCS_STATUS.PRECONDITION_FAILED) throw new BlobExistsError(name);
      throw error;
    }
    return (await this.stat(name))!;
  }

  async read(name: string): Promise<Buffer | undefined> {
    assertSafeBlobName(name);
    try {
      const [contents] = await this.bucket.file(name).download();
      return contents;
    } catch (error) {
      if (statusOf(error) === GCS_STATUS.NOT_FOUND) return undefined;
      throw error;
    }
  }

  async readHead(name: string, bytes: number): Promise<Buffer | undefined> {
    assertSafeBlobName(name);
    try {
      // A ranged read carries no checksum to validate against (the library says so).
      const [contents] = await this.bucket.file(name).download({ start: 0, end: bytes - 1, validation: false });
      return contents;
    } catch (error) {
      const status = statusOf(error);
      if (status === GCS_STATUS.NOT_FOUND) return undefined;
      // An empty object has no byte 0 to start a range at.
      if (status === GCS_STATUS.RANGE_NOT_SATISFIABLE) return Buffer.alloc(0);
      throw error;
    }
  }

  async stat(name: string): Promise<BlobInfo | undefined> {
    assertSafeBlobName(name);
    try {
      const [metadata] = await this.bucket.file(name).getMetadata();
      return {
        name,
        size: Number(metadata.size ?? 0),
        contentType: metadata.contentType ?? 'application/octet-stream',
        metadata: Object.fromEntries(Object.entries(metadata.metadata ?? {}).map(([key, value]) => [key, String(value)])),
        url: this.publicUrl(name),
      };
    } catch (error) {
      if (statusOf(error) === GCS_STATUS.NOT_FOUND) return undefined;
      throw error;
    }
  }

  async move(from: string, to: string, headers?: BlobHeaders): Promise<BlobInfo> {
    assertSafeBlobName(from);
    assertSafeBlobName(to);
    if (!headers) {
      await this.bucket.file(from).move(this.bucket.file(to));
      return (await this.stat(to))!;
    }
    // A move is a rewrite and a delete; the rewrite's body is the new object's metadata, so the copy
    // is served with these headers (a staged upload carries no other metadata to keep).
    await this.bucket.file(from).copy(this.bucket.file(to), {
      contentType: headers.contentType,
      ...(headers.contentDisposition ? { contentDisposition: headers.contentDisposition } : {}),
    });
    await this.bucket.file(from).delete({ ignoreNotFound: true });
    return (await this.stat(to))!;
  }

  async delete(name: string): Promise<void> {
    assertSafeBlobName(name);
    await this.bucket.file(name).delete({ ignoreNotFound: true });
  }
}
