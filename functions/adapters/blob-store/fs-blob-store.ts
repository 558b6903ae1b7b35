/**
 * Cloud Storage stand-in for this machine: objects are files under a directory, their content type
 * and custom metadata in a sidecar under `.meta/`. Create-only writes are atomic (hard link of a
 * finished temporary file), like GCS's `ifGenerationMatch: 0`. An optional listener is told of each
 * finished object, which the local stack turns into a `storage.object.v1.finalized` CloudEvent.
 */
import { createWriteStream } from 'node:fs';
import { link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeBlobName, BlobExistsError, publicUrlOf, type BlobInfo, type BlobStore, type BlobWriteOptions } from '../../domain/ports/blob-store.js';

interface Sidecar {
  contentType: string;
  cacheControl?: string;
  metadata: Record<string, string>;
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

  async stat(name: string): Promise<BlobInfo | undefined> {
    let size: number;
    try {
      size = (await stat(this.dataPath(name))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const sidecar = JSON.parse(await readFile(this.sidecarPath(name), 'utf8').catch(() => '{}')) as Partial<Sidecar>;
    return {
      name,
      size,
      contentType: sidecar.contentType ?? 'application/octet-stream',
      metadata: sidecar.metadata ?? {},
      url: this.publicUrl(name),
    };
  }

  async move(from: string, to: string): Promise<BlobInfo> {
    const target = this.dataPath(to);
    await mkdir(path.dirname(target), { recursive: true });
    await mkdir(path.dirname(this.sidecarPath(to)), { recursive: true });
    await rename(this.dataPath(from), target);
    await rename(this.sidecarPath(from), this.sidecarPath(to)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    const info = (await this.stat(to))!;
    this.onFinalized?.(info);
    return info;
  }

  async delete(name: string): Promise<void> {
    await rm(this.dataPath(name), { force: true });
    await rm(this.sidecarPath(name), { force: true });
  }

  /** Content type and cache headers of a stored object, for the local HTTP server of blobs. */
  async headers(name: string): Promise<{ contentType: string; cacheControl?: string } | undefined> {
    const info = await this.stat(name);
    if (!info) return undefined;
    const sidecar = JSON.parse(await readFile(this.sidecarPath(name), 'utf8').catch(() => '{}')) as Partial<Sidecar>;
    return { contentType: info.contentType, ...(sidecar.cacheControl ? { cacheControl: sidecar.cacheControl } : {}) };
  }
}
