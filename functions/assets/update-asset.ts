/**
 * Changing a live asset: an update of its fields (a move to another layer, category or
 * subcategory draws a number there in the same write), and a new album-art job for a Songs asset.
 */
import { ALBUM_ART_LAYER, type AlbumArtRequests } from '../album-art/index.js';
import { echoesShownAlbumArt } from '../domain/album-art-view.js';
import { applyAssetUpdate, sequenceKeyOf, type Readdress } from '../domain/asset-builder.js';
import { FeatureDisabledError, ValidationError } from '../domain/errors.js';
import type { HistoryWriter } from '../domain/history-entry.js';
import type { AssetWrites, SequenceAllocator } from '../domain/ports/asset-writes.js';
import type { FeatureFlags } from '../domain/ports/feature-flags.js';
import type { WriteFence } from '../domain/ports/idempotency-store.js';
import type { Metrics } from '../domain/ports/metrics.js';
import { defaultAlbumArtSource } from '../domain/schemas/album-art.js';
import { updateAssetSchema } from '../domain/schemas/asset-input.js';
import type { StoredAsset } from '../domain/stored-asset.js';
import type { Taxonomy } from '../domain/taxonomy/taxonomy.js';
import { parseOrThrow } from '../domain/validation.js';
import { guardEnhancedFields, recordSequenceFill, type Clock, type CurrentAssetCheck } from './write-rules.js';

export interface UpdateAssetDependencies {
  writes: Pick<AssetWrites, 'update'>;
  flags: FeatureFlags;
  taxonomy: Taxonomy;
  /** Album-art jobs for Songs assets with a source URL; without it no job is ever made. */
  albumArt?: AlbumArtRequests | undefined;
  clock: Clock;
  /** Receives `sequence_fill`, the number each move drew in its new path. */
  metrics?: Metrics | undefined;
}

export class UpdateAsset {
  constructor(private readonly deps: UpdateAssetDependencies) {}

  async update(id: string, fields: Record<string, unknown>, check: CurrentAssetCheck, actor: string, writer: HistoryWriter = 'api'): Promise<StoredAsset> {
    const { albumArt } = this.deps;
    await guardEnhancedFields(this.deps.flags, fields);
    const input = parseOrThrow(updateAssetSchema, fields);
    if (Object.values(input).every((value) => value === undefined)) {
      throw ValidationError.single('(body)', 'names no field that can be updated');
    }
    if (input.albumArt?.sourceUrl !== undefined) await albumArt?.requireEnabled('albumArt.sourceUrl');
    const now = this.deps.clock().toISOString();
    const namesSource = input.albumArt?.sourceUrl !== undefined || input.metadata?.['albumArtUrl'] !== undefined;
    const albumArtJob = namesSource ? await albumArt?.plan(now) : undefined;
    let moved = false;
    const updated = await this.deps.writes.update(
      id,
      async (current, allocate) => {
        check(current);
        const readdress = await this.readdressFor(current, input, allocate);
        moved = readdress !== undefined;
        // The album-art URL the client was shown, sent back, changes nothing (it names no new artwork).
        const change = echoesShownAlbumArt(fields['albumArt'], current.document.albumArt) ? { ...input, albumArt: undefined } : input;
        const document = applyAssetUpdate(current.document, change, readdress, now);
        return albumArtJob ? albumArtJob.apply(document, current.document) : document;
      },
      { writer, actor },
      albumArtJob?.outbox,
    );
    if (moved) recordSequenceFill(this.deps.metrics, updated);
    await albumArtJob?.publish(updated);
    return updated;
  }

  /** `POST /api/assets/:id/album-art`: a new album-art job for a Songs asset, whatever it had before. */
  async requestAlbumArt(id: string, sourceUrl: string, check: CurrentAssetCheck, actor: string, fence?: WriteFence): Promise<StoredAsset> {
    const albumArt = this.deps.albumArt;
    if (!albumArt) throw new FeatureDisabledError('ALBUM_ART_PIPELINE', 'The album-art pipeline is not configured');
    await albumArt.requireEnabled('Album art');
    const now = this.deps.clock().toISOString();
    const job = await albumArt.plan(now, { force: true });
    const updated = await this.deps.writes.update(
      id,
      async (current) => {
        check(current);
        if (current.document.layer !== ALBUM_ART_LAYER) {
          throw ValidationError.single('id', `Album art belongs to Songs (layer ${ALBUM_ART_LAYER}) assets; this asset is in layer ${current.document.layer}`);
        }
        const document = {
          ...current.document,
          albumArt: { ...current.document.albumArt, source: current.document.albumArt?.source ?? defaultAlbumArtSource(sourceUrl), sourceUrl },
          updatedAt: now,
        };
        return job.apply(document, current.document);
      },
      { writer: 'api', actor },
      job.outbox,
      fence,
    );
    await job.publish(updated);
    return updated;
  }

  /** A new sequence number when the update moves the asset to another layer/category/subcategory. */
  private async readdressFor(
    current: StoredAsset,
    input: { layer?: string | undefined; category?: string | undefined; subcategory?: string | undefined },
    allocate: SequenceAllocator,
  ): Promise<Readdress | undefined> {
    if (input.layer === undefined && input.category === undefined && input.subcategory === undefined) return undefined;
    const document = current.document;
    const taxonomy = this.deps.taxonomy;
    const target = taxonomy.resolve({
      layer: input.layer ?? document.layer,
      category: input.category ?? document.categoryCode ?? document.category,
      subcategory: input.subcategory ?? document.subcategoryCode ?? document.subcategory,
    });
    const present = taxonomy.resolve({
      layer: document.layer,
      category: document.categoryCode ?? document.category,
      subcategory: document.subcategoryCode ?? document.subcategory,
    });
    if (sequenceKeyOf(target) === sequenceKeyOf(present)) return undefined;
    if ((target.layer.code === 'C') !== (present.layer.code === 'C')) {
      throw ValidationError.single('layer', 'An asset cannot move between the composite layer C and the other layers');
    }
    return { path: target, sequence: await allocate(sequenceKeyOf(target)) };
  }
}
