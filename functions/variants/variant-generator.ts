/**
 * The variant generator's use case: one finalized original in, its variants written create-only and
 * the asset's album art set to `ready` in one forward-only transaction. Redeliveries, stale jobs and
 * the generator's own outputs are acknowledged without work; transient failures throw so that the
 * event is delivered again; an original that cannot be decoded marks the asset failed.
 */
import type { CloudEvent } from '@google-cloud/functions-framework';
import { transition } from '../domain/album-art-status.js';
import { BlobExistsError, type BlobInfo, type BlobStore } from '../domain/ports/blob-store.js';
import type { AlbumArtStore } from '../domain/ports/album-art-store.js';
import type { FeatureFlags } from '../domain/ports/feature-flags.js';
import type { Metrics } from '../domain/ports/metrics.js';
import type { AlbumArt } from '../domain/schemas/album-art.js';
import type { VariantCrop } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { renderVariants, UndecodableImageError, type RenderedSet, type RenderedVariant } from './render-variants.js';
import { storageObjectSchema, type StorageObject } from './storage-object-event.js';
import { GENERATOR_MARKER, IMMUTABLE_CACHE, isGeneratorOutput, parseOriginalName, variantName, type OriginalRef } from './variant-names.js';

export interface VariantGeneratorDeps {
  blobStore: BlobStore;
  albumArt: AlbumArtStore;
  flags: FeatureFlags;
  metrics: Metrics;
  logger: Logger;
  /** The album-art bucket; events of any other bucket are not ours. */
  bucket: string;
  crop: VariantCrop;
}

export type VariantOutcome = 'ready' | 'failed' | 'skipped';

type ImageEntry = NonNullable<AlbumArt['variants']>[string][string];

/** High from 600 px on the shorter side, Medium from 300, else Low. */
export function qualityOf(width: number, height: number): NonNullable<AlbumArt['quality']> {
  const side = Math.min(width, height);
  return side >= 600 ? 'High' : side >= 300 ? 'Medium' : 'Low';
}

/** `stale-job` -> `STALE_JOB`: a refused change as the skip code of the metric and the log. */
function codeOf(reason: string): string {
  return reason.toUpperCase().replace('-', '_');
}

export class VariantGenerator {
  constructor(private readonly deps: VariantGeneratorDeps) {}

  async handle(event: CloudEvent<unknown>): Promise<VariantOutcome> {
    const started = performance.now();
    const parsed = storageObjectSchema.safeParse(event.data);
    if (!parsed.success) return this.skip(this.deps.logger, 'BAD_EVENT', { eventId: event.id, problem: parsed.error.message });
    const object = parsed.data;
    const ref = parseOriginalName(object.name);
    // The loop guard, twice: only originals by name, and never anything this generator wrote.
    if (object.bucket !== this.deps.bucket || !ref) return this.skip(this.deps.logger, 'NOT_AN_ORIGINAL', { object: object.name }, 'debug');
    if (isGeneratorOutput(object.metadata)) return this.skip(this.deps.logger, 'OWN_OUTPUT', { object: object.name });
    const jobId = object.metadata?.['jobId'];
    if (!jobId) return this.skip(this.deps.logger, 'NO_JOB_ID', { object: object.name }, 'warn');
    const logger = this.deps.logger.child({ function: 'generateVariants', assetId: ref.assetId, jobId });
    try {
      const outcome = await this.process(object, ref, jobId, logger);
      this.deps.metrics.observe('variant_processing_ms', performance.now() - started, { outcome });
      return outcome;
    } catch (error) {
      this.deps.metrics.count('variant_jobs', { outcome: 'retried', code: (error as { code?: string }).code ?? 'INTERNAL' });
      logger.error('variant generation failed; the event will be delivered again', { object: object.name, error });
      throw error;
    }
  }

  private async process(object: StorageObject, ref: OriginalRef, jobId: string, logger: Logger): Promise<VariantOutcome> {
    const at = new Date().toISOString();
    const current = await this.deps.albumArt.current(ref.assetId);
    if (current === null) return this.skip(logger, 'ASSET_MISSING', { object: object.name });
    // A redelivery after `ready`, or an original of a superseded job, costs one read and nothing else.
    const precheck = transition(current, { status: 'ready', jobId, at });
    if (!precheck.applied) return this.skip(logger, codeOf(precheck.reason), { object: object.name });
    const original = await this.deps.blobStore.read(object.name);
    if (!original) return this.skip(logger, 'ORIGINAL_MISSING', { object: object.name }, 'warn');

    let rendered: RenderedSet;
    try {
      rendered = await renderVariants(original, {
        crop: this.deps.crop,
        originalWebp: await this.deps.flags.isEnabled('VARIANT_ORIGINAL_WEBP'),
        originalAvif: await this.deps.flags.isEnabled('VARIANT_ORIGINAL_AVIF'),
      });
    } catch (error) {
      if (error instanceof UndecodableImageError) return this.fail(ref, jobId, at, error, logger);
      throw error;
    }
    const written = await Promise.all(rendered.variants.map((variant) => this.write(ref, jobId, variant)));
    const outcome = await this.deps.albumArt.change(ref.assetId, (latest) => ({
      status: 'ready',
      jobId,
      at,
      fields: this.readyFields(object, ref, rendered, written, latest, at),
    }));
    if (!outcome.applied) return this.skip(logger, codeOf(outcome.reason), { object: object.name });
    this.deps.metrics.count('variant_jobs', { outcome: 'ready', code: 'OK' });
    logger.info('album art ready', { object: object.name, variants: written.length });
    return 'ready';
  }

  /** Create-only: a variant already there (an earlier, interrupted delivery) is kept, not rewritten. */
  private async write(ref: OriginalRef, jobId: string, variant: RenderedVariant): Promise<{ variant: RenderedVariant; blob: BlobInfo }> {
    const name = variantName(ref.folder, variant.size, variant.format);
    try {
      const blob = await this.deps.blobStore.write(name, variant.data, {
        contentType: variant.contentType,
        cacheControl: IMMUTABLE_CACHE,
        metadata: { [GENERATOR_MARKER.key]: GENERATOR_MARKER.value, assetId: ref.assetId, jobId },
        ifNotExists: true,
      });
      return { variant, blob };
    } catch (error) {
      if (!(error instanceof BlobExistsError)) throw error;
      const blob = await this.deps.blobStore.stat(name);
      if (!blob) throw error;
      return { variant, blob };
    }
  }

  private readyFields(
    object: StorageObject,
    ref: OriginalRef,
    rendered: RenderedSet,
    written: Array<{ variant: RenderedVariant; blob: BlobInfo }>,
    latest: AlbumArt | undefined,
    at: string,
  ): Partial<AlbumArt> {
    const variants: Record<string, Record<string, ImageEntry>> = {};
    for (const { variant, blob } of written) {
      (variants[variant.size] ??= {})[variant.format] = { url: blob.url, width: variant.width, height: variant.height, bytes: blob.size };
    }
    const main = variants['500']!['jpg']!;
    return {
      url: main.url,
      variants,
      contentType: 'image/jpeg',
      size: main.bytes,
      quality: latest?.quality ?? qualityOf(rendered.original.width, rendered.original.height),
      uploadedAt: object.timeCreated ?? at,
      placeholder: rendered.placeholder,
      dominantColor: rendered.dominantColor,
      original: {
        objectName: object.name,
        sha256: ref.sha256,
        contentType: object.contentType ?? 'application/octet-stream',
        width: rendered.original.width,
        height: rendered.original.height,
        bytes: object.size,
      },
    };
  }

  private async fail(ref: OriginalRef, jobId: string, at: string, error: UndecodableImageError, logger: Logger): Promise<VariantOutcome> {
    const outcome = await this.deps.albumArt.change(ref.assetId, () => ({
      status: 'failed',
      jobId,
      at,
      fields: { error: { code: error.code, message: error.message.slice(0, 500), attempts: 1 } },
    }));
    if (!outcome.applied) return this.skip(logger, codeOf(outcome.reason), {});
    this.deps.metrics.count('variant_jobs', { outcome: 'failed', code: error.code });
    logger.warn('album art failed: the original cannot be decoded', { error: error.message });
    return 'failed';
  }

  private skip(logger: Logger, code: string, fields: Record<string, unknown>, level: 'debug' | 'info' | 'warn' = 'info'): VariantOutcome {
    this.deps.metrics.count('variant_jobs', { outcome: 'skipped', code });
    logger[level](`variant event skipped: ${code}`, fields);
    return 'skipped';
  }
}
