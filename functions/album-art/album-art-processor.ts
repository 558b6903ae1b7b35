/**
 * One album-art job: claim it (pending -> processing), download, scan, validate, store the original
 * create-only under a content-addressed name, then record it (-> stored). Every status change is a
 * `transition` inside a transaction keyed by the job id, so a duplicate delivery changes nothing.
 */
import { createHash } from 'node:crypto';
import type { CollectionReference, Firestore } from '@google-cloud/firestore';
import { transition, type StatusChange } from '../domain/album-art-status.js';
import type { AlbumArtJob } from '../domain/album-art-job.js';
import { BlobExistsError, type BlobStore } from '../domain/ports/blob-store.js';
import type { FeatureFlags } from '../domain/ports/feature-flags.js';
import type { Metrics } from '../domain/ports/metrics.js';
import { ScannerUnavailableError, type VirusScanner } from '../domain/ports/virus-scanner.js';
import type { AlbumArt } from '../domain/schemas/album-art.js';
import type { Logger } from '../platform/logger.js';
import { validateImage } from './image-validation.js';
import { AlbumArtJobError, asJobError } from './job-errors.js';
import { safeDownload, type DownloadPolicy, type Resolver } from './safe-download.js';
import { recordHistory } from '../adapters/firestore/firestore-history.js';

export const ORIGINAL_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export interface AlbumArtProcessorDependencies {
  db: Firestore;
  assetsCollection: string;
  blobStore: BlobStore;
  flags: FeatureFlags;
  metrics: Metrics;
  logger: Logger;
  policy: DownloadPolicy;
  maxPixels: number;
  maxAttempts: number;
  /** Undefined when configuration turns scanning off; the asset then records `scanned: false`. */
  scanner: VirusScanner | undefined;
  rateLimiter: { tryAcquire(host: string): Promise<boolean> };
  resolve?: Resolver;
  clock?: () => Date;
}

export type JobOutcome = 'stored' | 'failed' | 'skipped';

type Claim = { proceed: false; reason: string } | { proceed: true; attempts: number };

export function originalObjectName(assetId: string, sha256: string, extension: string): string {
  return `album-art/${assetId}/${sha256}/original.${extension}`;
}

export class AlbumArtProcessor {
  private readonly assets: CollectionReference;
  private readonly clock: () => Date;

  constructor(private readonly deps: AlbumArtProcessorDependencies) {
    this.assets = deps.db.collection(deps.assetsCollection);
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Resolves when the message may be acked; throws to have Pub/Sub redeliver it. */
  async process(job: AlbumArtJob): Promise<JobOutcome> {
    const started = Date.now();
    const logger = this.deps.logger.child({ function: 'processAlbumArt', assetId: job.assetId, jobId: job.requestId });
    if (!(await this.deps.flags.isEnabled('ALBUM_ART_PIPELINE'))) {
      logger.info('album-art pipeline is off; job acknowledged without work');
      this.deps.metrics.count('album_art_jobs', { outcome: 'skipped', code: 'FEATURE_DISABLED' });
      return 'skipped';
    }
    const claim = await this.claim(job);
    if (!claim.proceed) {
      logger.info('album-art job skipped', { reason: claim.reason });
      this.deps.metrics.count('album_art_jobs', { outcome: 'skipped', code: claim.reason });
      return 'skipped';
    }
    try {
      await this.run(job, logger);
      this.deps.metrics.count('album_art_jobs', { outcome: 'stored', code: 'OK' });
      this.deps.metrics.observe('album_art_processing_ms', Date.now() - started, { outcome: 'stored' });
      return 'stored';
    } catch (thrown) {
      const error = asJobError(thrown);
      const exhausted = claim.attempts >= this.deps.maxAttempts && error.code !== 'RATE_LIMITED';
      if (error.retryable && !exhausted) {
        logger.warn('album-art job will be retried', { code: error.code, error: error.message, attempts: claim.attempts });
        this.deps.metrics.count('album_art_jobs', { outcome: 'retried', code: error.code });
        throw error;
      }
      await this.change(job, { status: 'failed', fields: { error: { code: error.code, message: error.message, attempts: claim.attempts } } });
      logger.warn('album-art job failed', { code: error.code, error: error.message, attempts: claim.attempts });
      this.deps.metrics.count('album_art_jobs', { outcome: 'failed', code: error.code });
      this.deps.metrics.observe('album_art_processing_ms', Date.now() - started, { outcome: 'failed' });
      // Retries exhausted: throwing once more sends the message to the dead-letter topic.
      if (error.retryable) throw error;
      return 'failed';
    }
  }

  private async run(job: AlbumArtJob, logger: Logger): Promise<void> {
    const { bytes } = await safeDownload(job.sourceUrl, this.deps.policy, {
      ...(this.deps.resolve ? { resolve: this.deps.resolve } : {}),
      beforeRequest: async (host) => {
        if (!(await this.deps.rateLimiter.tryAcquire(host))) {
          throw new AlbumArtJobError('RATE_LIMITED', `The request budget for ${host} is spent for this minute; retried later`);
        }
      },
    });
    const scanned = await this.scan(bytes);
    const image = await validateImage(bytes, this.deps.maxPixels);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const objectName = originalObjectName(job.assetId, sha256, image.extension);
    const metadata = { assetId: job.assetId, sourceUrl: job.sourceUrl.slice(0, 2048), jobId: job.requestId, sha256 };
    try {
      await this.deps.blobStore.write(objectName, bytes, { contentType: image.contentType, cacheControl: ORIGINAL_CACHE_CONTROL, metadata, ifNotExists: true });
    } catch (error) {
      // The same bytes under the same name: an earlier or concurrent delivery stored them already.
      if (!(error instanceof BlobExistsError)) throw error;
      logger.info('original already stored', { objectName });
    }
    const original = {
      objectName,
      sha256,
      contentType: image.contentType,
      width: image.width,
      height: image.height,
      bytes: bytes.length,
      url: this.deps.blobStore.publicUrl(objectName),
    };
    await this.change(job, { status: 'stored', fields: { original, scanned } });
    logger.info('album art stored', { objectName, bytes: bytes.length, scanned });
  }

  private async scan(bytes: Buffer): Promise<boolean> {
    if (!this.deps.scanner) return false;
    let result;
    try {
      result = await this.deps.scanner.scan(bytes);
    } catch (error) {
      if (error instanceof ScannerUnavailableError) throw new AlbumArtJobError('SCANNER_UNAVAILABLE', error.message);
      throw error;
    }
    if (!result.clean) throw new AlbumArtJobError('VIRUS_DETECTED', `The virus scanner found ${result.signature ?? 'a threat'}`);
    return true;
  }

  /**
   * Takes the job for this delivery: pending -> processing, or a redelivery of a job still in
   * processing (an earlier attempt failed transiently). Counts attempts on the asset, because a
   * push through functions-framework does not carry Pub/Sub's delivery attempt.
   */
  private claim(job: AlbumArtJob): Promise<Claim> {
    const reference = this.assets.doc(job.assetId);
    return this.deps.db.runTransaction(async (transaction): Promise<Claim> => {
      const snapshot = await transaction.get(reference);
      if (!snapshot.exists) return { proceed: false, reason: 'ASSET_GONE' };
      const current = snapshot.get('albumArt') as AlbumArt | undefined;
      if (current?.jobId !== job.requestId) return { proceed: false, reason: 'STALE_JOB' };
      const attempts = (current.attempts ?? 0) + 1;
      if (current.status === 'processing') {
        transaction.update(reference, { 'albumArt.attempts': attempts });
        recordHistory(transaction, reference, { before: snapshot.data(), changedFields: ['albumArt'] }, { writer: 'album-art', actor: null });
        return { proceed: true, attempts };
      }
      const outcome = transition(current, { status: 'processing', jobId: job.requestId, at: this.clock().toISOString(), fields: { attempts } });
      if (!outcome.applied) return { proceed: false, reason: outcome.reason === 'duplicate' ? 'DUPLICATE' : `ALREADY_${(current.status ?? 'pending').toUpperCase()}` };
      transaction.update(reference, { albumArt: outcome.albumArt });
      recordHistory(transaction, reference, { before: snapshot.data(), changedFields: ['albumArt'] }, { writer: 'album-art', actor: null });
      return { proceed: true, attempts };
    });
  }

  private async change(job: AlbumArtJob, change: Omit<StatusChange, 'jobId' | 'at'>): Promise<boolean> {
    const reference = this.assets.doc(job.assetId);
    return this.deps.db.runTransaction(async (transaction) => {
      const snapshot = await transaction.get(reference);
      if (!snapshot.exists) return false;
      const outcome = transition(snapshot.get('albumArt') as AlbumArt | undefined, { ...change, jobId: job.requestId, at: this.clock().toISOString() });
      if (!outcome.applied) return false;
      transaction.update(reference, { albumArt: outcome.albumArt });
      recordHistory(transaction, reference, { before: snapshot.data(), changedFields: ['albumArt'] }, { writer: 'album-art', actor: null });
      return true;
    });
  }
}
