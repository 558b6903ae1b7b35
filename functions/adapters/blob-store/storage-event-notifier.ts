/**
 * Eventarc's stand-in on this machine: tells an event function that an object was finalized, by
 * POSTing a binary-mode `google.cloud.storage.object.v1.finalized` CloudEvent whose body is the
 * object resource, as Eventarc delivers it. Delivery is asynchronous like Eventarc's: it never
 * blocks or fails the write; failures are retried with backoff, then logged.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { BlobInfo } from '../../domain/ports/blob-store.js';
import type { Logger } from '../../platform/logger.js';

export const FINALIZED_EVENT_TYPE = 'google.cloud.storage.object.v1.finalized';

/** What the store knows of an object beyond BlobInfo: its headers and bytes (for md5Hash). */
export interface ObjectDetails {
  cacheControl?: string;
  data?: Buffer;
}

export interface StorageEventNotifierOptions {
  url: string;
  bucket: string;
  logger: Logger;
  /** Attempts before giving up (Eventarc retries far longer; a local stack needs only a few). */
  attempts?: number;
  firstBackoffMs?: number;
}

/** The Cloud Storage object resource (JSON API) of a finalized object. */
export function objectResource(bucket: string, blob: BlobInfo, details: ObjectDetails, generation: string, time: string): Record<string, unknown> {
  return {
    kind: 'storage#object',
    id: `${bucket}/${blob.name}/${generation}`,
    selfLink: `https://www.googleapis.com/storage/v1/b/${bucket}/o/${encodeURIComponent(blob.name)}`,
    mediaLink: `https://storage.googleapis.com/download/storage/v1/b/${bucket}/o/${encodeURIComponent(blob.name)}?generation=${generation}&alt=media`,
    name: blob.name,
    bucket,
    generation,
    metageneration: '1',
    contentType: blob.contentType,
    storageClass: 'STANDARD',
    size: String(blob.size),
    ...(details.data ? { md5Hash: createHash('md5').update(details.data).digest('base64') } : {}),
    ...(details.cacheControl ? { cacheControl: details.cacheControl } : {}),
    metadata: blob.metadata,
    timeCreated: time,
    updated: time,
    timeStorageClassUpdated: time,
  };
}

export class StorageEventNotifier {
  private readonly attempts: number;
  private readonly firstBackoffMs: number;

  constructor(private readonly options: StorageEventNotifierOptions) {
    this.attempts = options.attempts ?? 5;
    this.firstBackoffMs = options.firstBackoffMs ?? 200;
  }

  /** Starts delivery and returns at once; the promise is for tests and never rejects. */
  notify(blob: BlobInfo, details: ObjectDetails): Promise<void> {
    const time = new Date().toISOString();
    // Microseconds since the epoch, as GCS generations are.
    const generation = String(Date.now() * 1000 + Math.floor(Math.random() * 1000));
    const body = JSON.stringify(objectResource(this.options.bucket, blob, details, generation, time));
    const headers = {
      'Content-Type': 'application/json',
      'ce-specversion': '1.0',
      'ce-type': FINALIZED_EVENT_TYPE,
      'ce-source': `//storage.googleapis.com/projects/_/buckets/${this.options.bucket}`,
      'ce-subject': `objects/${blob.name}`,
      'ce-id': randomUUID(),
      'ce-time': time,
    };
    return this.deliver(blob.name, headers, body);
  }

  private async deliver(name: string, headers: Record<string, string>, body: string): Promise<void> {
    let lastProblem = '';
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      try {
        const response = await fetch(this.options.url, { method: 'POST', headers, body });
        await response.arrayBuffer();
        if (response.ok) return;
        lastProblem = `HTTP ${response.status}`;
      } catch (error) {
        // A refused connection is retried like a 5xx answer; the last problem is logged below.
        lastProblem = (error as Error).message;
      }
      if (attempt < this.attempts) await new Promise((resolve) => setTimeout(resolve, this.firstBackoffMs * 2 ** (attempt - 1)));
    }
    this.options.logger.warn('storage event not delivered', { object: name, url: this.options.url, attempts: this.attempts, problem: lastProblem });
  }
}
