/**
 * Cloud Storage in memory, as the fs and GCS blob stores keep it: objects by name with their content
 * type, cache and disposition headers and custom metadata, create-only writes refused when the name
 * is taken, and the public URL every store gives out.
 */
import type { Readable } from 'node:stream';
import {
  assertSafeBlobName,
  BlobExistsError,
  publicUrlOf,
  type BlobHeaders,
  type BlobInfo,
  type BlobStore,
  type BlobWriteOptions,
} from '../../../functions/domain/ports/blob-store.js';

interface StoredBlob {
  data: Buffer;
  contentType: string;
  contentDisposition?: string;
  cacheControl?: string;
  metadata: Record<string, string>;
}

async function bytesOf(data: Buffer | Readable): Promise<Buffer> {
  if (Buffer.isBuffer(data)) return Buffer.from(data);
  const chunks: Buffer[] = [];
  for await (const chunk of data) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** The name, once it is a path of safe segments (throws otherwise, as every store does). */
function safe(name: string): string {
  assertSafeBlobName(name);
  return name;
}

/** A store's answer as a promise: what it refuses rejects, as the real stores' async methods do. */
function settled<T>(answer: () => T): Promise<T> {
  try {
    return Promise.resolve(answer());
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

export class InMemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, StoredBlob>();

  constructor(private readonly publicBaseUrl = 'http://blobs.test/bucket') {}

  /** Names of the stored objects, sorted. */
  names(): string[] {
    return [...this.blobs.keys()].sort();
  }

  /** The headers an object is served with, as the fs store's local server sends them. */
  headersOf(name: string): { contentType: string; contentDisposition?: string; cacheControl?: string } | undefined {
    const blob = this.blobs.get(name);
    if (!blob) return undefined;
    const { contentType, contentDisposition, cacheControl } = blob;
    return { contentType, ...(contentDisposition ? { contentDisposition } : {}), ...(cacheControl ? { cacheControl } : {}) };
  }

  publicUrl(name: string): string {
    return publicUrlOf(this.publicBaseUrl, name);
  }

  async write(name: string, data: Buffer | Readable, options: BlobWriteOptions): Promise<BlobInfo> {
    safe(name);
    const bytes = await bytesOf(data);
    if (options.ifNotExists && this.blobs.has(name)) throw new BlobExistsError(name);
    this.blobs.set(name, {
      data: bytes,
      contentType: options.contentType,
      ...(options.cacheControl ? { cacheControl: options.cacheControl } : {}),
      metadata: { ...options.metadata },
    });
    return this.infoOf(name)!;
  }

  read(name: string): Promise<Buffer | undefined> {
    return settled(() => {
      const blob = this.blobs.get(safe(name));
      return blob && Buffer.from(blob.data);
    });
  }

  readHead(name: string, bytes: number): Promise<Buffer | undefined> {
    return settled(() => {
      const blob = this.blobs.get(safe(name));
      return blob && Buffer.from(blob.data.subarray(0, bytes));
    });
  }

  stat(name: string): Promise<BlobInfo | undefined> {
    return settled(() => this.infoOf(safe(name)));
  }

  move(from: string, to: string, headers?: BlobHeaders): Promise<BlobInfo> {
    return settled(() => this.moved(safe(from), safe(to), headers));
  }

  delete(name: string): Promise<void> {
    return settled(() => void this.blobs.delete(safe(name)));
  }

  private moved(from: string, to: string, headers: BlobHeaders | undefined): BlobInfo {
    const blob = this.blobs.get(from);
    if (!blob) throw new Error(`No blob ${from} to move`);
    this.blobs.delete(from);
    const moved: StoredBlob = { ...blob };
    if (headers) {
      moved.contentType = headers.contentType;
      delete moved.contentDisposition;
      if (headers.contentDisposition) moved.contentDisposition = headers.contentDisposition;
    }
    this.blobs.set(to, moved);
    return this.infoOf(to)!;
  }

  private infoOf(name: string): BlobInfo | undefined {
    const blob = this.blobs.get(name);
    if (!blob) return undefined;
    return { name, size: blob.data.length, contentType: blob.contentType, metadata: { ...blob.metadata }, url: this.publicUrl(name) };
  }
}
