/**
 * Cloud Storage stand-in for this machine: objects are files under a directory, their content type
 * and custom metadata in a sidecar under `.meta/`. Create-only writes are atomic (hard link of a
 * finished temporary file), like GCS's `ifGenerationMatch: 0`. An optional listener is told of each
 * finished object, which the local stack turns into a `storage.object.v1.finalized` CloudEvent.
 */
import { createWriteStream } from 'node:fs';
import { link, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
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

interface Sidecar {
  contentType: string;
  contentDisposition?: string;
  cacheControl?: string;
  metadata: Record<string, string>;
}

/** What the local HTTP server of blobs sends with an object, as Cloud Storage would. */
export interface ServedHeaders {
  contentType: string;
  contentDisposition?: string;
  cacheControl?: string;
}

export type FinalizedListener = (blob: BlobInfo) => void;

export class FsBlobStore implements BlobStore {
  constructor(
    private readonly root: string,
    private readonly publicBaseUrl: string,
    private readonly onFinalized?: FinalizedListener,
  ) {}

  private dataPath(name: string): string {
    assertSafeBlobName(name);
    return path.join(this.root, name);
  }

  private sidecarPath(name: string): string {
    return path.join(this.root, '.meta', `${name}.json`);
  }

  publicUrl(name: string): string {
    return publicUrlOf(this.publicBaseUrl, name);
  }

  async write(name: string, data: Buffer | Readable, options: BlobWriteOptions): Promise<BlobInfo> {
    const target = this.dataPath(name);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomUUID()}.partial`;
    const temporarySidecar = `${this.sidecarPath(name)}.${randomUUID()}.partial`;
    try {
      await pipeline(Buffer.isBuffer(data) ? Readable.from([data]) : data, createWriteStream(temporary, { flags: 'wx' }));
      const sidecar: Sidecar = { contentType: options.contentType, metadata: options.metadata ?? {} };
      if (options.cacheControl) sidecar.cacheControl = options.cacheControl;
      await mkdir(path.dirname(this.sidecarPath(name)), { recursive: true });
      // Written aside and renamed into place: a concurrent reader never sees half a sidecar.
      await writeFile(temporarySidecar, JSON.stringify(sidecar));
      if (options.ifNotExists) {
        await link(temporary, target).catch((error: NodeJS.ErrnoException) => {
          throw error.code === 'EEXIST' ? new BlobExistsError(name) : error;
        });
      } else {
        await rename(temporary, target);
      }
      await rename(temporarySidecar, this.sidecarPath(name));
    } finally {
      await rm(temporary, { force: true });
      await rm(temporarySidecar, { force: true });
    }
    const info = (await this.stat(name))!;
    this.onFinalized?.(info);
    return info;
  }

  async read(name: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.dataPath(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async readHead(name: string, bytes: number): Promise<Buffer | undefined> {
    let file;
    try {
      file = await open(this.dataPath(name), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await file.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }

  private async sidecarOf(name: string): Promise<Partial<Sidecar>> {
    return JSON.parse(await readFile(this.sidecarPath(name), 'utf8').catch(() => '{}')) as Partial<Sidecar>;
  }

  async stat(name: string): Promise<BlobInfo | undefined> {
    let size: number;
    try {
      size = (await stat(this.dataPath(name))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const sidecar = await this.sidecarOf(name);
    return {
      name,
      size,
      contentType: sidecar.contentType ?? 'application/octet-stream',
      metadata: sidecar.metadata ?? {},
      url: this.publicUrl(name),
    };
  }

  async move(from: string, to: string, headers?: BlobHeaders): Promise<BlobInfo> {
    const target = this.dataPath(to);
    await mkdir(path.dirname(target), { recursive: true });
    await mkdir(path.dirname(this.sidecarPath(to)), { recursive: true });
    await rename(this.dataPath(from), target);
    await rename(this.sidecarPath(from), this.sidecarPath(to)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    if (headers) {
      const sidecar = await this.sidecarOf(to);
      const next: Sidecar = { contentType: headers.contentType, metadata: sidecar.metadata ?? {} };
      if (headers.contentDisposition) next.contentDisposition = headers.contentDisposition;
      if (sidecar.cacheControl) next.cacheControl = sidecar.cacheControl;
      const temporarySidecar = `${this.sidecarPath(to)}.${randomUUID()}.partial`;
      await writeFile(temporarySidecar, JSON.stringify(next));
      await rename(temporarySidecar, this.sidecarPath(to));
    }
    const info = (await this.stat(to))!;
    this.onFinalized?.(info);
    return info;
  }

  async delete(name: string): Promise<void> {
    await rm(this.dataPath(name), { force: true });
    await rm(this.sidecarPath(name), { force: true });
  }

  /** Content type, disposition and cache headers of a stored object, for the local HTTP server of blobs. */
  async headers(name: string): Promise<ServedHeaders | undefined> {
    const info = await this.stat(name);
    if (!info) return undefined;
    const sidecar = await this.sidecarOf(name);
    return {
      contentType: info.contentType,
      ...(sidecar.contentDisposition ? { contentDisposition: sidecar.contentDisposition } : {}),
      ...(sidecar.cacheControl ? { cacheControl: sidecar.cacheControl } : {}),
    };
  }
}
