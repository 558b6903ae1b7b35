/**
 * The variant generator's use case: one finalized original in, its variant set rendered once per
 * distinct image (content-addressed, create-only), the set's manifest written last, then every asset
 * waiting at `stored` with that image made `ready`. An asset whose `stored` change lands after this
 * run finds the manifest itself (functions/album-art), so both orders of the two writes end `ready`.
 * Redeliveries find the manifest and render nothing; transient failures throw so that the event is
 * delivered again; an original that cannot be decoded fails every asset using it.
 */
import {
  completionOf,
  parseVariantSet,
  sha256OfOriginal,
  variantManifestName,
  type AlbumArtStore,
  type RenderedVariantSet,
  type VariantSet,
} from '../album-art/index.js';
import { BlobExistsError, type BlobInfo, type BlobStore } from '../domain/ports/blob-store.js';
import type { FeatureFlags } from '../domain/ports/feature-flags.js';
import type { Metrics } from '../domain/ports/metrics.js';
import type { VariantCrop } from '../platform/config-environment.js';
import type { Logger } from '../platform/logger.js';
import { renderVariants, UndecodableImageError, type RenderedSet, type RenderedVariant } from './render-variants.js';
import type { StorageEvent, StorageObject } from './storage-object-event.js';
import { GENERATOR_MARKER, IMMUTABLE_CACHE, isGeneratorOutput, variantName } from './variant-names.js';

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

type ImageEntry = RenderedVariantSet['variants'][string][string];

export class VariantGenerator {
  constructor(private readonly deps: VariantGeneratorDeps) {}

  async handle(event: StorageEvent): Promise<VariantOutcome> {
    const started = performance.now();
    const object = event.data;
    const sha256 = sha256OfOriginal(object.name);
    // The loop guard, twice: only originals by name, and never anything this generator wrote.
    if (object.bucket !== this.deps.bucket || !sha256) return this.skip(this.deps.logger, 'NOT_AN_ORIGINAL', { object: object.name }, 'debug');
    if (isGeneratorOutput(object.metadata)) return this.skip(this.deps.logger, 'OWN_OUTPUT', { object: object.name });
    const logger = this.deps.logger.child({ function: 'generateVariants', sha256 });
    try {
      const outcome = await this.process(object, sha256, logger);
      this.deps.metrics.observe('variant_processing_ms', performance.now() - started, { outcome });
      return outcome;
    } catch (error) {
      this.deps.metrics.count('variant_jobs', { outcome: 'retried', code: (error as { code?: string }).code ?? 'INTERNAL' });
      logger.error('variant generation failed; the event will be delivered again', { object: object.name, error });
      throw error;
    }
  }

  private async process(object: StorageObject, sha256: string, logger: Logger): Promise<VariantOutcome> {
    let set = parseVariantSet(await this.deps.blobStore.read(variantManifestName(sha256)));
    if (set) {
      logger.info('variant set already complete; nothing rendered', { object: object.name });
    } else {
      const original = await this.deps.blobStore.read(object.name);
      if (!original) return this.skip(logger, 'ORIGINAL_MISSING', { object: object.name }, 'warn');
      set = await this.render(sha256, original, logger);
      set = await this.writeManifest(sha256, set);
    }
    const completed = await this.completeWaiting(sha256, set);
    const outcome: VariantOutcome = 'failure' in set ? 'failed' : 'ready';
    this.deps.metrics.count('variant_jobs', { outcome, code: 'failure' in set ? set.failure.code : 'OK' });
    logger.info(`variant set ${outcome}`, { object: object.name, assets: completed });
    return outcome;
  }

  private async render(sha256: string, original: Buffer, logger: Logger): Promise<VariantSet> {
    const createdAt = new Date().toISOString();
    let rendered: RenderedSet;
    try {
      rendered = await renderVariants(original, {
        crop: this.deps.crop,
        originalWebp: await this.deps.flags.isEnabled('VARIANT_ORIGINAL_WEBP'),
        originalAvif: await this.deps.flags.isEnabled('VARIANT_ORIGINAL_AVIF'),
      });
    } catch (error) {
      if (!(error instanceof UndecodableImageError)) throw error;
      logger.warn('album art failed: the original cannot be decoded', { error: error.message });
      return { sha256, createdAt, failure: { code: error.code, message: error.message.slice(0, 500) } };
    }
    const written = await Promise.all(rendered.variants.map((variant) => this.write(sha256, variant)));
    const variants: Record<string, Record<string, ImageEntry>> = {};
    for (const { variant, blob } of written) {
      (variants[variant.size] ??= {})[variant.format] = { url: blob.url, width: variant.width, height: variant.height, bytes: blob.size };
    }
    return {
      sha256,
      createdAt,
      variants,
      placeholder: rendered.placeholder,
      dominantColor: rendered.dominantColor,
      width: rendered.original.width,
      height: rendered.original.height,
    };
  }

  /** Create-only: a variant already there (an earlier, interrupted delivery) is kept, not rewritten. */
  private async write(sha256: string, variant: RenderedVariant): Promise<{ variant: RenderedVariant; blob: BlobInfo }> {
    const name = variantName(sha256, variant.size, variant.format);
    try {
      const blob = await this.deps.blobStore.write(name, variant.data, {
        contentType: variant.contentType,
        cacheControl: IMMUTABLE_CACHE,
        metadata: { [GENERATOR_MARKER.key]: GENERATOR_MARKER.value, sha256 },
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

  /** Create-only, so concurrent deliveries agree on one manifest: the first one written. */
  private async writeManifest(sha256: string, set: VariantSet): Promise<VariantSet> {
    const name = variantManifestName(sha256);
    try {
      await this.deps.blobStore.write(name, Buffer.from(JSON.stringify(set)), {
        contentType: 'application/json',
        cacheControl: IMMUTABLE_CACHE,
        metadata: { [GENERATOR_MARKER.key]: GENERATOR_MARKER.value, sha256 },
        ifNotExists: true,
      });
      return set;
    } catch (error) {
      if (!(error instanceof BlobExistsError)) throw error;
      return parseVariantSet(await this.deps.blobStore.read(name)) ?? set;
    }
  }

  /** Every asset stored with this image moves on; returns how many did. */
  private async completeWaiting(sha256: string, set: VariantSet): Promise<number> {
    const at = new Date().toISOString();
    const waiting = await this.deps.albumArt.waitingFor(sha256);
    const outcomes = await Promise.all(waiting.map((assetId) => this.deps.albumArt.change(assetId, (current) => completionOf(set, current, at))));
    return outcomes.filter((outcome) => outcome.applied).length;
  }

  private skip(logger: Logger, code: string, fields: Record<string, unknown>, level: 'debug' | 'info' | 'warn' = 'info'): VariantOutcome {
    this.deps.metrics.count('variant_jobs', { outcome: 'skipped', code });
    logger[level](`variant event skipped: ${code}`, fields);
    return 'skipped';
  }
}
