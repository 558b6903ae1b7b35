/** An asset's history, and a revert to one of its versions through the ordinary update. */
import { ConflictError } from '../domain/errors.js';
import type { HistoryReader } from '../domain/ports/history-reader.js';
import type { HistoryEntryView, HistoryQuery } from '../domain/schemas/history.js';
import type { StoredAsset } from '../domain/stored-asset.js';
import type { AssetLookup } from './asset-lookup.js';
import type { UpdateAsset } from './update-asset.js';
import type { CurrentAssetCheck } from './write-rules.js';

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

export interface AssetHistoryDependencies {
  history: HistoryReader;
  lookup: Pick<AssetLookup, 'get'>;
  updates: Pick<UpdateAsset, 'update'>;
}

export class AssetHistory {
  constructor(private readonly deps: AssetHistoryDependencies) {}

  async page(id: string, query: HistoryQuery): Promise<{ items: HistoryEntryView[]; nextCursor?: string }> {
    // History outlives a soft delete (an admin restoring wants it), but the API shows only live assets'.
    await this.deps.lookup.get(id);
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
    const current = await this.deps.lookup.get(id);
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
    return this.deps.updates.update(id, fields, check, actor, 'revert');
  }
}
