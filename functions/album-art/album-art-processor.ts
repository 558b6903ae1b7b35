/**
 * One album-art job: claim it (a lease; duplicates are acknowledged without work), download, scan
 * the whole download, cut whatever follows the image, and store the original once per distinct
 * image, create-only, at `album-art/originals/{sha256}` (private). Every download is scanned before
 * it is matched to a stored cover: the content address covers the image only, so a known cover with
 * something after it matches too. An image already stored is then reused without a new validation or
 * write; a variant set already rendered makes the asset `ready` at once. The asset is reached only
 * through the album-art store port.
 */
import { createHash, randomUUID } from 'node:crypto';
import { BlobExistsError, type BlobInfo, type BlobStore } from '../domain/ports/blob-store.js';
import type { FeatureFlags } from '../domain/ports/feature-flags.js';
import type { Metrics } from '../domain/ports/metrics.js';
import { ScannerUnavailableError, type VirusScanner } from '../domain/ports/virus-scanner.js';
import type { AlbumArt } from '../domain/schemas/album-art.js';
import type { Logger } from '../platform/logger.js';
import type { AlbumArtJob } from './album-art-job.js';
import type { StatusNote } from './album-art-status.js';
import { imageExtent } from './image-extent.js';
import { validateImage } from './image-validation.js';
import { claimJob, releaseJob } from './job-claim.js';
import { AlbumArtJobError, asJobError } from './job-errors.js';
import { originalName, variantManifestName } from './object-names.js';
import type { AlbumArtStore } from './ports/album-art-store.js';
import { safeDownload, type DownloadPolicy, type Resolver } from './safe-download.js';
import { completionOf, parseVariantSet } from './variant-set.js';

/** Originals are read by the functions only; nothing may cache them on the way. */
const ORIGINAL_CACHE_CONTROL = 'private, no-store';

export interface AlbumArtProcessorDependencies {
  albumArt: AlbumArtStore;
  blobStore: BlobStore;
  flags: FeatureFlags;
  metrics: Metrics;
  logger: Logger;
  policy: DownloadPolicy;
  maxPixels: number;
  maxAttempts: number;
  /** How long a delivery's claim holds: longer than the slowest download plus scan. */
  leaseMs: number;
  /** Undefined when configuration turns scanning off; the asset then records `scanned: false`. */
  scanner: VirusScanner | undefined;
  rateLimiter: { tryAcquire(host: string): Promise<boolean> };
  resolve?: Resolver;
  clock?: () => Date;
}

export type JobOutcome = 'stored' | 'ready' | 'failed' | 'skipped';

type OriginalFacts = NonNullable<AlbumArt['original']>;

/** What an original's custom metadata says of it, when it was written completely by this version. */
function factsOf(blob: BlobInfo, sha256: string): { original: OriginalFacts; scanned: boolean } | undefined {
  const width = Number(blob.metadata['width']);
  const height = Number(blob.metadata['height']);
  if (!(width > 0 && height > 0)) return undefined;
  return { original: { sha256, contentType: blob.contentType, width, height, bytes: blob.size }, scanned: blob.metadata['scanned'] === 'true' };
}

export class AlbumArtProcessor {
  private readonly clock: () => Date;

  constructor(private readonly deps: AlbumArtProcessorDependencies) {
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
    const holder = randomUUID();
    const claim = (await this.deps.albumArt.update(job.assetId, (current) =>
      claimJob(current, { jobId: job.requestId, holder, now: this.clock(), leaseMs: this.deps.leaseMs }),
    )) ?? { proceed: false, reason: 'ASSET_GONE' };
    if (!claim.proceed) {
      logger.info('album-art job skipped', { reason: claim.reason });
      this.deps.metrics.count('album_art_jobs', { outcome: 'skipped', code: claim.reason });
      return 'skipped';
    }
    try {
      const outcome = await this.run(job, logger);
      this.deps.metrics.count('album_art_jobs', { outcome: 'stored', code: 'OK' });
      this.deps.metrics.observe('album_art_processing_ms', Date.now() - started, { outcome: 'stored' });
      return outcome;
    } catch (thrown) {
      const error = asJobError(thrown);
      const exhausted = claim.attempts >= this.deps.maxAttempts && error.code !== 'RATE_LIMITED';
      if (error.retryable && !exhausted) {
        logger.warn('album-art job will be retried', { code: error.code, error: error.message, attempts: claim.attempts });
        this.deps.metrics.count('album_art_jobs', { outcome: 'retried', code: error.code });
        await this.deps.albumArt.update(job.assetId, (current) => releaseJob(current, { jobId: job.requestId, holder }));
        throw error;
      }
      await this.deps.albumArt.change(job.assetId, () => ({
        status: 'failed',
        jobId: job.requestId,
        at: this.clock().toISOString(),
        fields: { error: { code: error.code, message: error.message, attempts: claim.attempts } },
      }));
      logger.warn('album-art job failed', { code: error.code, error: error.message, attempts: claim.attempts });
      this.deps.metrics.count('album_art_jobs', { outcome: 'failed', code: error.code });
      this.deps.metrics.observe('album_art_processing_ms', Date.now() - started, { outcome: 'failed' });
      // Retries exhausted: throwing once more sends the message to the dead-letter topic.
      if (error.retryable) throw error;
      return 'failed';
    }
  }

  private async run(job: AlbumArtJob, logger: Logger): Promise<JobOutcome> {
    const { bytes } = await safeDownload(job.sourceUrl, this.deps.policy, {
      ...(this.deps.resolve ? { resolve: this.deps.resolve } : {}),
      beforeRequest: async (host) => {
        if (!(await this.deps.rateLimiter.tryAcquire(host))) {
          throw new AlbumArtJobError('RATE_LIMITED', `The request budget for ${host} is spent for this minute; retried later`);
        }
      },
    });
    const { image, trailing } = imageExtent(bytes);
    if (trailing > 0) logger.info('bytes after the end of the image cut', { trailing });
    const sha256 = createHash('sha256').update(image).digest('hex');
    const { original, scanned, note } = await this.storeOnce(job, bytes, image, sha256, logger);
    const stored = await this.deps.albumArt.change(job.assetId, () => ({
      status: 'stored',
      jobId: job.requestId,
      at: this.clock().toISOString(),
      ...(note ? { note } : {}),
      fields: { sha256, original, scanned },
    }));
    if (!stored.applied) {
      logger.info('album-art stored change refused', { reason: stored.reason });
      return 'skipped';
    }
    logger.info('album art stored', { sha256, bytes: image.length, scanned, reused: note !== undefined });
    // The variant set may exist already: a cover reused, or the storage event handled before this
    // change. The generator completes only assets at `stored`, so this check closes the gap.
    return (await this.completeFromVariantSet(job, sha256, note ? 'reused-variants' : undefined)) ? 'ready' : 'stored';
  }

  /** The original of these bytes, stored now or found stored (then not validated or written again). */
  private async storeOnce(
    job: AlbumArtJob,
    download: Buffer,
    image: Buffer,
    sha256: string,
    logger: Logger,
  ): Promise<{ original: OriginalFacts; scanned: boolean; note?: StatusNote }> {
    // Before any match: what follows the image is cut from the original, not from this download.
    const scanned = await this.scan(download);
    const name = originalName(sha256);
    const existing = await this.deps.blobStore.stat(name);
    const known = existing && factsOf(existing, sha256);
    // An original stored while scanning was off counts as scanned once this download was.
    if (known) return { ...known, scanned: known.scanned || scanned, note: 'reused-original' };
    const validated = await validateImage(image, this.deps.maxPixels);
    const original: OriginalFacts = { sha256, contentType: validated.contentType, width: validated.width, height: validated.height, bytes: image.length };
    const metadata = {
      sha256,
      width: String(validated.width),
      height: String(validated.height),
      scanned: String(scanned),
      assetId: job.assetId,
      jobId: job.requestId,
    };
    try {
      await this.deps.blobStore.write(name, image, { contentType: validated.contentType, cacheControl: ORIGINAL_CACHE_CONTROL, metadata, ifNotExists: true });
    } catch (error) {
      // The same bytes under the same name: another job stored this image first.
      if (!(error instanceof BlobExistsError)) throw error;
      logger.info('original stored concurrently by another job', { sha256 });
      return { original, scanned, note: 'reused-original' };
    }
    return { original, scanned };
  }

  /** Applies a complete variant set to this job's asset; false when there is none yet. */
  private async completeFromVariantSet(job: AlbumArtJob, sha256: string, note: StatusNote | undefined): Promise<boolean> {
    const set = parseVariantSet(await this.deps.blobStore.read(variantManifestName(sha256)));
    if (!set) return false;
    const at = this.clock().toISOString();
    const outcome = await this.deps.albumArt.change(job.assetId, (current) => ({ ...completionOf(set, current, at, note), jobId: job.requestId }));
    return outcome.applied;
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
}
