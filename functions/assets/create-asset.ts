/**
 * Creating an asset: validate the fields and the taxonomy path, check the upload and the
 * components, draw the next number of the path in the write, then move the staged file to its
 * organized name. A refused or failed create leaves no staged file behind.
 */
import { randomUUID } from 'node:crypto';
import type { AlbumArtRequests } from '../album-art/index.js';
import { buildNewAsset, sequenceKeyOf } from '../domain/asset-builder.js';
import { assetFileName } from '../domain/asset-file-names.js';
import { ValidationError, type ErrorDetail } from '../domain/errors.js';
import type { AssetQueries } from '../domain/ports/asset-queries.js';
import type { AssetWrites } from '../domain/ports/asset-writes.js';
import type { BlobStore } from '../domain/ports/blob-store.js';
import type { DeletedAssets } from '../domain/ports/deleted-assets.js';
import type { FeatureFlags } from '../domain/ports/feature-flags.js';
import type { WriteFence } from '../domain/ports/idempotency-store.js';
import type { Metrics } from '../domain/ports/metrics.js';
import { createAssetSchema, type CreateAssetInput } from '../domain/schemas/asset-input.js';
import type { FileRecord } from '../domain/schemas/asset.js';
import { registryFieldsOf, type StoredAsset } from '../domain/stored-asset.js';
import type { Taxonomy, TaxonomyPath } from '../domain/taxonomy/taxonomy.js';
import type { AcceptedUpload, UploadedFile } from '../domain/upload-policy.js';
import { collectValidation, parseCollecting } from '../domain/validation.js';
import { resolveComponents } from './asset-components.js';
import { checkUpload } from './upload-check.js';
import { guardEnhancedFields, recordSequenceFill, type Clock } from './write-rules.js';

export interface CreateAssetDependencies {
  writes: Pick<AssetWrites, 'create' | 'delete'>;
  queries: Pick<AssetQueries, 'findByAddress'>;
  deleted: Pick<DeletedAssets, 'isDeletedAddress'>;
  blobStore: BlobStore;
  flags: FeatureFlags;
  taxonomy: Taxonomy;
  /** Album-art jobs for Songs assets with a source URL; without it no job is ever made. */
  albumArt?: AlbumArtRequests | undefined;
  clock: Clock;
  /** Receives `sequence_fill`, the number each create drew in its path. */
  metrics?: Metrics | undefined;
}

export class CreateAsset {
  constructor(private readonly deps: CreateAssetDependencies) {}

  /** `fence`: the Idempotency-Key claim the write commits under (http/idempotency.ts). */
  async create(fields: Record<string, unknown>, upload: UploadedFile | undefined, createdBy: string, fence?: WriteFence): Promise<StoredAsset> {
    const { writes, blobStore, albumArt } = this.deps;
    try {
      await guardEnhancedFields(this.deps.flags, fields);
      const fileDetails: ErrorDetail[] = [];
      const accepted = upload ? await this.acceptUpload(upload, fields['layer'], fileDetails) : undefined;
      const { input, taxonomyPath } = this.validate(fields, fileDetails);
      const components = await resolveComponents(this.deps, input.components);
      const now = this.deps.clock().toISOString();
      const fileFor = (sequence: number): FileRecord | undefined => {
        if (!upload || !accepted) return undefined;
        const name = assetFileName(taxonomyPath, sequence, accepted.extension);
        return {
          id: randomUUID(),
          filename: name.slice(name.lastIndexOf('/') + 1),
          contentType: accepted.contentType,
          size: upload.blob.size,
          url: blobStore.publicUrl(name),
          uploadedAt: now,
        };
      };
      if (input.albumArt?.sourceUrl !== undefined) await albumArt?.requireEnabled('albumArt.sourceUrl');
      const albumArtJob = await albumArt?.plan(now);
      const created = await writes.create(
        sequenceKeyOf(taxonomyPath),
        (sequence) => {
          const file = fileFor(sequence);
          const document = buildNewAsset({ input, path: taxonomyPath, sequence, components, createdBy, now, ...(file ? { file } : {}) });
          return albumArtJob ? albumArtJob.apply(document) : document;
        },
        { writer: 'api', actor: createdBy },
        albumArtJob?.outbox,
        fence,
      );
      if (upload && accepted) await this.placeFile(created, taxonomyPath, upload, accepted);
      recordSequenceFill(this.deps.metrics, created);
      await albumArtJob?.publish(created);
      return created;
    } catch (error) {
      if (upload) await blobStore.delete(upload.blob.name);
      throw error;
    }
  }

  /**
   * The schema and the taxonomy checked in one pass, with what was found wrong with the upload
   * (`fileDetails`): one 400 names every offending field.
   */
  private validate(fields: Record<string, unknown>, fileDetails: readonly ErrorDetail[]): { input: CreateAssetInput; taxonomyPath: TaxonomyPath } {
    const { data: input, details } = parseCollecting(createAssetSchema, fields);
    const text = (name: string): string | undefined => {
      const value = fields[name];
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
    };
    const [layer, category, subcategory] = [text('layer'), text('category'), text('subcategory')];
    const taxonomy = this.deps.taxonomy;
    const taxonomyPath = collectValidation(() => {
      if (layer && category && subcategory) return taxonomy.resolve({ layer, category, subcategory });
      // With a part missing (already reported as required) the parts given are still checked.
      if (layer && category) taxonomy.resolveCategory(layer, category);
      else if (layer && !taxonomy.findLayer(layer)) throw ValidationError.single('layer', `Invalid layer: ${layer}`);
      return undefined;
    }, details);
    details.push(...fileDetails);
    if (details.length > 0 || !input || !taxonomyPath) throw new ValidationError(details);
    return { input, taxonomyPath };
  }

  /** How the upload will be stored, or undefined with its problems added to `details`. */
  private async acceptUpload(upload: UploadedFile, layerValue: unknown, details: ErrorDetail[]): Promise<AcceptedUpload | undefined> {
    // An invalid or missing layer is reported on its own; the file is then held to what any layer takes.
    const layer = typeof layerValue === 'string' ? this.deps.taxonomy.findLayer(layerValue.trim()) : undefined;
    try {
      return await checkUpload(this.deps.blobStore, upload, layer);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      details.push(...error.details);
      return undefined;
    }
  }

  /**
   * Moves the staged upload to its organized name once the asset exists. If that fails, the asset
   * is removed again, so no asset points at a file that is not there.
   */
  private async placeFile(created: StoredAsset, taxonomyPath: TaxonomyPath, upload: UploadedFile, accepted: AcceptedUpload): Promise<void> {
    const sequence = registryFieldsOf(created.document)!.sequence;
    const target = assetFileName(taxonomyPath, sequence, accepted.extension);
    try {
      await this.deps.blobStore.move(upload.blob.name, target, accepted);
    } catch (error) {
      await this.deps.writes.delete(created.id, { writer: 'api', actor: null });
      throw error;
    }
  }
}
