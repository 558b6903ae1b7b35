/**
 * The asset use cases: validate, resolve the taxonomy, check components, write through the
 * repository, keep stored files consistent with the asset. No HTTP here.
 */
import { randomUUID } from 'node:crypto';
import { ALBUM_ART_LAYER, type AlbumArtRequests } from '../album-art/index.js';
import { echoesShownAlbumArt } from '../domain/album-art-view.js';
import { defaultAlbumArtSource } from '../domain/schemas/album-art.js';
import { applyAssetUpdate, buildNewAsset, sequenceKeyOf, type ComponentRef, type Readdress } from '../domain/asset-builder.js';
import { assetFileName, uploadFileName } from '../domain/asset-file-names.js';
import { ConflictError, FeatureDisabledError, ForbiddenError, NotFoundError, ValidationError, type ErrorDetail } from '../domain/errors.js';
import type { HistoryWriter } from '../domain/history-entry.js';
import type { HistoryEntryView, HistoryQuery } from '../domain/schemas/history.js';
import type { AlbumArtFiles } from '../domain/ports/album-art-files.js';
import type { HistoryReader } from '../domain/ports/history-reader.js';
import { hfnOf, mfaOf, parseAddress } from '../domain/naming.js';
import type { AssetFilters, AssetQueries } from '../domain/ports/asset-queries.js';
import type { AssetWrites } from '../domain/ports/asset-writes.js';
import type { DeletedAsset, DeletedAssets } from '../domain/ports/deleted-assets.js';
import { blobNameOfUrl, type BlobStore } from '../domain/ports/blob-store.js';
import type { FeatureFlags } from '../domain/ports/feature-flags.js';
import type { WriteFence } from '../domain/ports/idempotency-store.js';
import type { Metrics } from '../domain/ports/metrics.js';
import { createAssetSchema, ENHANCED_FIELDS, updateAssetSchema, type CreateAssetInput } from '../domain/schemas/asset-input.js';
import type { ListAssetsQuery } from '../domain/schemas/asset-query.js';
import type { FileRecord } from '../domain/schemas/asset.js';
import { registryFieldsOf, type StoredAsset } from '../domain/stored-asset.js';
import type { Taxonomy, TaxonomyPath } from '../domain/taxonomy/taxonomy.js';
import { wordsOf } from '../domain/search/normalize.js';
import type { AcceptedUpload, UploadedFile } from '../domain/upload-policy.js';
import { listAssets, type AssetListing } from './asset-listing.js';
import { searchAssets } from './asset-search.js';
import { AssetLookup } from './asset-lookup.js';
import { checkUpload } from './upload-check.js';
import { collectValidation, parseCollecting, parseOrThrow } from '../domain/validation.js';

export interface AssetServiceDependencies {
  writes: AssetWrites;
  queries: AssetQueries;
  deleted: DeletedAssets;
  blobStore: BlobStore;
  flags: FeatureFlags;
  taxonomy: Taxonomy;
  /** Album-art jobs for Songs assets with a source URL; without it no job is ever made. */
  albumArt?: AlbumArtRequests;
  clock?: () => Date;
  history: HistoryReader;
  /** Album-art files to remove when a deleted asset is purged; without it album art is left alone. */
  albumArtFiles?: AlbumArtFiles;
  /** How long a deleted asset can be restored. */
  deletedRetentionDays: number;
  /** Receives `sequence_fill`, the number each create or move drew in its path; without it nothing is recorded. */
  metrics?: Metrics;
}

export interface DeleteRequest {
  check: CurrentAssetCheck;
  actor: string;
  isAdmin: boolean;
  reason?: string | undefined;
  /** Admin: delete even though live composites name the asset. */
  force: boolean;
  /** Admin: remove the asset, its files and album art now instead of after the retention. */
  purge: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The fields a revert brings back, through the ordinary update (the pipeline owns albumArt). */
const REVERTIBLE_FIELDS = [
  'description',
  'creatorDescription',
  'tags',
  'source',
  'trainingData',
  'rights',
  'status',
  'aiMetadata',
  'extractedSongData',
  'metadata',
] as const;

/** A check run against the current asset inside the write (If-Match, for one). */
export type CurrentAssetCheck = (current: StoredAsset) => void;

export class AssetService {
  private readonly clock: () => Date;
  private readonly lookup: AssetLookup;

  constructor(private readonly deps: AssetServiceDependencies) {
    this.clock = deps.clock ?? (() => new Date());
    this.lookup = new AssetLookup(deps.queries, deps.taxonomy);
  }

  private now(): string {
    return this.clock().toISOString();
  }

  /** The Enhanced AI fields are accepted only while CREATOR_DESCRIPTION is on. */
  private async guardEnhancedFields(fields: Record<string, unknown>): Promise<void> {
    const used = ENHANCED_FIELDS.filter((field) => fields[field] !== undefined);
    if (used.length > 0 && !(await this.deps.flags.isEnabled('CREATOR_DESCRIPTION'))) {
      throw new FeatureDisabledError('CREATOR_DESCRIPTION', `${used.join(', ')} cannot be set while the CREATOR_DESCRIPTION feature is off`);
    }
  }

  get(id: string): Promise<StoredAsset> {
    return this.lookup.get(id);
  }

  getByAddress(address: string): Promise<StoredAsset> {
    return this.lookup.getByAddress(address);
  }

  /** The document id an asset reference (id, HFN or MFA) names: see AssetLookup.idOf. */
  idOf(reference: string): Promise<string> {
    return this.lookup.idOf(reference);
  }

  private async resolveComponents(references: readonly string[]): Promise<ComponentRef[]> {
    const details: ErrorDetail[] = [];
    const resolved: ComponentRef[] = [];
    for (const [index, reference] of references.entries()) {
      const fieldPath = `components.${index}`;
      try {
        const parsed = parseAddress(this.deps.taxonomy, reference, fieldPath);
        if (parsed.components.length > 0 || parsed.base.path.layer.code === 'C') {
          details.push({ path: fieldPath, issue: `${reference} is a composite; components must be single assets` });
          continue;
        }
        const base = parsed.kind === 'hfn' ? hfnOf(parsed.base) : mfaOf(parsed.base);
        const found = await this.deps.queries.findByAddress(parsed.kind, base);
        if (!found) {
          const deleted = await this.deps.deleted.isDeletedAddress(parsed.kind, base);
          details.push({ path: fieldPath, issue: deleted ? `Component ${reference} is deleted; restore it first` : `Component ${reference} does not exist` });
          continue;
        }
        resolved.push({ hfn: hfnOf(parsed.base), mfa: mfaOf(parsed.base) });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        details.push(...error.details);
      }
    }
    if (details.length > 0) throw new ValidationError(details);
    return resolved;
  }

  /**
   * The schema and the taxonomy checked in one pass, with what was found wrong with the upload
   * (`fileDetails`): one 400 names every offending field.
   */
  private validateCreate(fields: Record<string, unknown>, fileDetails: readonly ErrorDetail[]): { input: CreateAssetInput; taxonomyPath: TaxonomyPath } {
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

  /** `fence`: the Idempotency-Key claim the write commits under (idempotency.ts). */
  async create(fields: Record<string, unknown>, upload: UploadedFile | undefined, createdBy: string, fence?: WriteFence): Promise<StoredAsset> {
    try {
      await this.guardEnhancedFields(fields);
      const fileDetails: ErrorDetail[] = [];
      const accepted = upload ? await this.acceptUpload(upload, fields['layer'], fileDetails) : undefined;
      const { input, taxonomyPath } = this.validateCreate(fields, fileDetails);
      const components = await this.resolveComponents(input.components);
      const now = this.now();
      const fileFor = (sequence: number): FileRecord | undefined => {
        if (!upload || !accepted) return undefined;
        const name = assetFileName(taxonomyPath, sequence, accepted.extension);
        return {
          id: randomUUID(),
          filename: name.slice(name.lastIndexOf('/') + 1),
          contentType: accepted.contentType,
          size: upload.blob.size,
          url: this.deps.blobStore.publicUrl(name),
          uploadedAt: now,
        };
      };
      if (input.albumArt?.sourceUrl !== undefined) await this.deps.albumArt?.requireEnabled('albumArt.sourceUrl');
      const albumArtJob = await this.deps.albumArt?.plan(now);
      const created = await this.deps.writes.create(
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
      this.recordSequenceFill(created);
      await albumArtJob?.publish(created);
      return created;
    } catch (error) {
      if (upload) await this.deps.blobStore.delete(upload.blob.name);
      throw error;
    }
  }

  /** How full the asset's taxonomy path is now: the number it just drew, of the 999 a path has. */
  private recordSequenceFill(asset: StoredAsset): void {
    const sys = registryFieldsOf(asset.document);
    if (sys) this.deps.metrics?.observe('sequence_fill', sys.sequence, { path: sys.sequenceKey });
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

  /** `POST /api/assets/upload`: a file on its own, held to what any layer takes; a refused one is removed. */
  async upload(upload: UploadedFile): Promise<{ url: string; filename: string; size: number; mimeType: string; originalName: string }> {
    let accepted: AcceptedUpload;
    try {
      accepted = await checkUpload(this.deps.blobStore, upload, undefined);
    } catch (error) {
      await this.deps.blobStore.delete(upload.blob.name);
      throw error;
    }
    const name = uploadFileName(this.now(), randomUUID(), accepted.extension);
    const stored = await this.deps.blobStore.move(upload.blob.name, name, accepted);
    return {
      url: stored.url,
      filename: name.slice(name.lastIndexOf('/') + 1),
      size: stored.size,
      mimeType: accepted.contentType,
      originalName: upload.originalName,
    };
  }

  async update(id: string, fields: Record<string, unknown>, check: CurrentAssetCheck, actor: string, writer: HistoryWriter = 'api'): Promise<StoredAsset> {
    await this.guardEnhancedFields(fields);
    const input = parseOrThrow(updateAssetSchema, fields);
    if (Object.values(input).every((value) => value === undefined)) {
      throw ValidationError.single('(body)', 'names no field that can be updated');
    }
    if (input.albumArt?.sourceUrl !== undefined) await this.deps.albumArt?.requireEnabled('albumArt.sourceUrl');
    const now = this.now();
    const namesSource = input.albumArt?.sourceUrl !== undefined || input.metadata?.['albumArtUrl'] !== undefined;
    const albumArtJob = namesSource ? await this.deps.albumArt?.plan(now) : undefined;
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
    if (moved) this.recordSequenceFill(updated);
    await albumArtJob?.publish(updated);
    return updated;
  }

  /** `POST /api/assets/:id/album-art`: a new album-art job for a Songs asset, whatever it had before. */
  async requestAlbumArt(id: string, sourceUrl: string, check: CurrentAssetCheck, actor: string, fence?: WriteFence): Promise<StoredAsset> {
    const albumArt = this.deps.albumArt;
    if (!albumArt) throw new FeatureDisabledError('ALBUM_ART_PIPELINE', 'The album-art pipeline is not configured');
    await albumArt.requireEnabled('Album art');
    const now = this.now();
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
    allocate: (key: string) => Promise<number>,
  ): Promise<Readdress | undefined> {
    if (input.layer === undefined && input.category === undefined && input.subcategory === undefined) return undefined;
    const document = current.document;
    const target = this.deps.taxonomy.resolve({
      layer: input.layer ?? document.layer,
      category: input.category ?? document.categoryCode ?? document.category,
      subcategory: input.subcategory ?? document.subcategoryCode ?? document.subcategory,
    });
    const present = this.deps.taxonomy.resolve({
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

  /**
   * Soft delete: the asset leaves every read path and can be restored until its retention ends.
   * An admin may force it past composites that name it, and may purge at once.
   */
  async delete(id: string, request: DeleteRequest): Promise<{ purgeAt?: string; purged: boolean }> {
    if ((request.force || request.purge) && !request.isAdmin) {
      throw new ForbiddenError(`${request.actor} may not ${request.purge ? 'purge' : 'force the deletion of'} assets (the admin role is needed)`);
    }
    const now = this.clock();
    const live = await this.deps.queries.get(id);
    if (!live) {
      const deleted = request.purge ? await this.deps.deleted.getDeleted(id) : undefined;
      if (!deleted) throw new NotFoundError(`Asset ${id} does not exist`);
      await this.purge(deleted);
      return { purged: true };
    }
    const deleted = await this.deps.writes.softDelete(id, {
      check: request.check,
      deletedBy: request.actor,
      reason: request.reason,
      force: request.force,
      now,
      purgeAt: new Date(now.getTime() + this.deps.deletedRetentionDays * DAY_MS),
    });
    if (!request.purge) return { purgeAt: deleted.purgeAt, purged: false };
    await this.purge(deleted);
    return { purged: true };
  }

  /** `POST /api/assets/:id/restore`: the deleted asset comes back exactly as it was. */
  restore(id: string, actor: string): Promise<StoredAsset> {
    return this.deps.writes.restore(id, actor, this.clock());
  }

  listDeleted(limit: number, cursor?: string): Promise<{ items: DeletedAsset[]; next?: string }> {
    return this.deps.deleted.listDeleted(limit, cursor);
  }

  /** The sweep: purges deleted assets whose retention has ended. Returns how many it purged. */
  async purgeExpired(limit: number): Promise<number> {
    const expired = await this.deps.deleted.expiredDeleted(this.clock(), limit);
    for (const deleted of expired) await this.purge(deleted);
    return expired.length;
  }

  /**
   * Removes a deleted asset's files, then its album art unless another live or deleted asset uses
   * the same art, then the record. In that order, so a purge that fails half-way is simply rerun.
   */
  private async purge(deleted: DeletedAsset): Promise<void> {
    const { id, document } = deleted.asset;
    const urls = new Set([...(document.files ?? []).map((file) => file.url), ...(document.gcpStorageUrl ? [document.gcpStorageUrl] : [])]);
    for (const url of urls) {
      const name = blobNameOfUrl(this.deps.blobStore, url);
      if (name) await this.deps.blobStore.delete(name);
    }
    const files = this.deps.albumArtFiles;
    if (files && document.albumArt) {
      const key = files.contentKeyOf(document.albumArt);
      if (key !== undefined && !(await this.deps.deleted.albumArtInUse(key, id))) await files.remove(document.albumArt);
    }
    await this.deps.deleted.removeDeleted(id);
  }

  async history(id: string, query: HistoryQuery): Promise<{ items: HistoryEntryView[]; nextCursor?: string }> {
    // History outlives a soft delete (an admin restoring wants it), but the API shows only live assets'.
    await this.get(id);
    return this.deps.history.page(id, query);
  }

  /**
   * `POST /api/assets/:id/revert`: the fields of a version's before-image, written through the
   * ordinary update (validation, re-addressing, If-Match). Fields the version lacked stay as they are.
   */
  async revert(id: string, version: string, check: CurrentAssetCheck, actor: string): Promise<StoredAsset> {
    const entry = await this.deps.history.entry(id, version);
    const before = entry.before;
    if (!before) {
      throw new ConflictError(
        `Version ${version} has no before-image to restore (${entry.beforeScope === 'omitted' ? 'it was too large to keep' : 'it is the creation of the asset'})`,
      );
    }
    const current = await this.get(id);
    const currentFields = current.document as Record<string, unknown>;
    const fields: Record<string, unknown> = {};
    for (const field of REVERTIBLE_FIELDS) {
      if (field in before && JSON.stringify(before[field]) !== JSON.stringify(currentFields[field])) fields[field] = before[field];
    }
    const place = {
      layer: before['layer'],
      category: before['categoryCode'] ?? before['category'],
      subcategory: before['subcategoryCode'] ?? before['subcategory'],
    };
    if (typeof place.layer === 'string' && before['name'] !== current.document.name) Object.assign(fields, place);
    if (Object.keys(fields).length === 0) {
      check(current);
      return current;
    }
    return this.update(id, fields, check, actor, 'revert');
  }

  /** A listing, or a word search when `search` holds words; filters given as codes or names. */
  async list(query: ListAssetsQuery): Promise<AssetListing> {
    const filters = this.filtersOf(query);
    const text = query.search ?? '';
    return wordsOf(text).length > 0 ? searchAssets(this.deps.queries, this.deps.taxonomy, filters, text, query) : listAssets(this.deps.queries, filters, query);
  }

  /** Turns client filters (codes or names) into the repository's codes. */
  private filtersOf(query: ListAssetsQuery): AssetFilters {
    const repositoryQuery: AssetFilters = {};
    if (query.layer) {
      const layer = this.deps.taxonomy.findLayer(query.layer);
      if (!layer) throw ValidationError.single('layer', `Invalid layer: ${query.layer}`);
      repositoryQuery.layer = layer.code;
      if (query.category) {
        const { category } = this.deps.taxonomy.resolveCategory(layer.code, query.category);
        repositoryQuery.categoryCode = category.code;
        if (query.subcategory) {
          repositoryQuery.subcategoryCode = this.deps.taxonomy.resolve({
            layer: layer.code,
            category: category.code,
            subcategory: query.subcategory,
          }).subcategory.code;
        }
      } else if (query.subcategory) {
        throw ValidationError.single('subcategory', 'A subcategory filter needs a category filter too');
      }
    } else if (query.category || query.subcategory) {
      throw ValidationError.single(query.category ? 'category' : 'subcategory', 'A category or subcategory filter needs a layer filter too');
    }
    if (query.status) repositoryQuery.status = query.status;
    if (query.tags) repositoryQuery.tags = query.tags;
    if (query.startDate) repositoryQuery.createdFrom = new Date(query.startDate).toISOString();
    // A date without a time means the whole of that day.
    if (query.endDate) repositoryQuery.createdTo = new Date(query.endDate.length === 10 ? `${query.endDate}T23:59:59.999Z` : query.endDate).toISOString();
    return repositoryQuery;
  }
}
