/**
 * The `processAlbumArt` CloudEvent function (a Pub/Sub message on the album-art topic), loaded by
 * functions/index.ts on the first event (its envelope already validated). Messages whose data is
 * no job are logged and acknowledged: a redelivery could never make them valid.
 */
import { ClamdScanner } from '../adapters/clamd/clamd-scanner.js';
import { observeEvent } from '../platform/observe-event.js';
import type { Runtime } from '../runtime.js';
import { AlbumArtProcessor } from './album-art-processor.js';
import { FirestoreAlbumArtStore } from './adapters/firestore-album-art-store.js';
import { FirestoreHostRateLimiter } from './adapters/firestore-host-rate-limiter.js';
import { jobOf, type JobEvent } from './job-event.js';

/** A claim outlives the slowest delivery (download deadline plus scan) by a margin; then it is taken over. */
const LEASE_MARGIN_MS = 30_000;

export function createAlbumArtHandler(runtime: Runtime): (event: JobEvent) => Promise<void> {
  const { config, logger } = runtime;
  const db = runtime.firestore();
  const { metrics, flush } = runtime.metrics();
  const settings = config.albumArt;
  const processor = new AlbumArtProcessor({
    albumArt: new FirestoreAlbumArtStore(db, config.assetsCollection, 'album-art', runtime.historyRecorder(), config.firestoreDeadlineMs),
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
    leaseMs: settings.deadlineMs + settings.clamdTimeoutMs + LEASE_MARGIN_MS,
    scanner: settings.scan === 'required' ? new ClamdScanner(settings.clamdAddress, settings.clamdTimeoutMs) : undefined,
    rateLimiter: new FirestoreHostRateLimiter(db, settings.rateLimitPerMinute, config.firestoreDeadlineMs),
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
