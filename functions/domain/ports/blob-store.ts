import type { Readable } from 'node:stream';

export interface BlobWriteOptions {
  contentType: string;
  cacheControl?: string;
  /** Custom metadata (asset id, job id, generator marker). */
  metadata?: Record<string, string>;
  /** Refuse to overwrite: the write fails with BlobExistsError when the name is taken. */
  ifNotExists?: boolean;
}

/** The headers an object is served with, set when it reaches its final name. */
export interface BlobHeaders {
  contentType: string;
  /** `attachment` for what a browser should save rather than show. */
  contentDisposition?: string | undefined;
}

export interface BlobInfo {
  name: string;
  size: number;
  contentType: string;
  metadata: Record<string, string>;
  url: string;
}

export class BlobExistsError extends Error {
  constructor(readonly blobName: string) {
    super(`Blob ${blobName} already exists`);
    this.name = 'BlobExistsError';
  }
}

/** Cloud Storage behind a small interface: GCS in production, a directory on this machine locally. */
export interface BlobStore {
  write(name: string, data: Buffer | Readable, options: BlobWriteOptions): Promise<BlobInfo>;
  read(name: string): Promise<Buffer | undefined>;
  /** At most the first `bytes` bytes (what sniffing a file's type needs, without reading all of it). */
  readHead(name: string, bytes: number): Promise<Buffer | undefined>;
  stat(name: string): Promise<BlobInfo | undefined>;
  /** Renames an object; with `headers`, the object at its new name is served with those instead. */
  move(from: string, to: string, headers?: BlobHeaders): Promise<BlobInfo>;
  delete(name: string): Promise<void>;
  /** The permanent public URL of an object. */
  publicUrl(name: string): string;
}

/** Object names are paths of safe segments: no `..`, no empty segment, no leading slash. */
export function assertSafeBlobName(name: string): void {
  const segments = name.split('/');
  if (name.length === 0 || name.length > 1024 || segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new Error(`Unsafe blob name: ${JSON.stringify(name)}`);
  }
}

/** The permanent public URL of an object: the configured base joined with the encoded name. */
export function publicUrlOf(publicBaseUrl: string, name: string): string {
  return `${publicBaseUrl}/${name.split('/').map(encodeURIComponent).join('/')}`;
}

/** The object name behind a URL the store gave out (publicUrl's inverse); undefined for other URLs. */
export function blobNameOfUrl(store: Pick<BlobStore, 'publicUrl'>, url: string): string | undefined {
  const base = store.publicUrl('x').slice(0, -1);
  if (!url.startsWith(base)) return undefined;
  try {
    return url.slice(base.length).split('/').map(decodeURIComponent).join('/');
  } catch {
    // A URL with a broken escape was not made by publicUrl, so it names none of our objects.
    return undefined;
  }
}
