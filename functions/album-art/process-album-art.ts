/**
 * The `processAlbumArt` CloudEvent function (a Pub/Sub message on the album-art topic), loaded by
 * functions/index.ts on the first event. Malformed messages are logged and acknowledged: a
 * redelivery could never make them valid.
 */
import type { CloudEvent } from '@google-cloud/functions-framework';
import { ClamdScanner } from '../adapters/clamd/clamd-scanner.js';
import { FirestoreHostRateLimiter } from '../adapters/firestore/firestore-host-rate-limiter.js';
import { albumArtJobSchema, type AlbumArtJob } from '../domain/album-art-job.js';
import { observeEvent } from '../platform/observe-event.js';
import type { Runtime } from '../runtime.js';
import { AlbumArtProcessor } from './album-art-processor.js';

interface PubSubEventData {
  message?: { data?: string; messageId?: string; attributes?: Record<string, string> };
}

/** The job in a Pub/Sub CloudEvent, or undefined when the message holds none. */
export function jobOf(event: CloudEvent<unknown>): AlbumArtJob | undefined {
  const encoded = (event.data as PubSubEventData | undefined)?.message?.data;
  if (typeof encoded !== 'string') return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    // Not JSON: reported by the caller as a malformed job.
    return undefined;
  }
  const parsed = albumArtJobSchema.safeParse(decoded);
  return parsed.success ? parsed.data : undefined;
}

export function createAlbumArtHandler(runtime: Runtime): (event: CloudEvent<unknown>) => Promise<void> {
  const { config, logger } = runtime;
  const db = runtime.firestore();
  const { metrics, flush } = runtime.metrics();
  const settings = config.albumArt;
  const processor = new AlbumArtProcessor({
    db,
    assetsCollection: config.assetsCollection,
    // Locally, with STORAGE_EVENTS_URL set, a stored original is announced to generateVariants.
    blobStore: runtime.blobStore('albumArt'),
    flags: runtime.flags(),
    metrics,
    logger,
    policy: {
      allowedHosts: settings.allowedHosts,
      loopbackSources: settings.loopbackSources,
      maxBytes: settings.maxBytes,
      connectTimeoutMs: settings.connectTimeoutMs,
      idleTimeoutMs: settings.idleTimeoutMs,
      deadlineMs: settings.deadlineMs,
    },
    maxPixels: settings.maxPixels,
    maxAttempts: settings.maxAttempts,
    scanner: settings.scan === 'required' ? new ClamdScanner(settings.clamdAddress, settings.clamdTimeoutMs) : undefined,
    rateLimiter: new FirestoreHostRateLimiter(db, settings.rateLimitPerMinute),
  });
  return async (event) => {
    const job = jobOf(event);
    const labels: Record<string, string> = job ? { assetId: job.assetId, jobId: job.requestId } : { eventId: event.id };
    await observeEvent({ name: 'processAlbumArt', logger, labels, flush }, async () => {
      if (!job) {
        logger.error('album-art message holds no valid job; acknowledged', { function: 'processAlbumArt', eventId: event.id });
        metrics.count('album_art_jobs', { outcome: 'failed', code: 'INVALID_JOB' });
        return;
      }
      await processor.process(job);
    });
  };
}
