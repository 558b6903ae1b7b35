/**
 * The JSON clients read for an asset. Its bytes are deterministic: top-level fields in the order
 * the old backend sent them, unknown legacy fields after them in name order, nested keys sorted.
 * A field appears only when the document has it, so legacy documents read back unchanged.
 */
import { createHash } from 'node:crypto';
import { SYSTEM_FIELD, type StoredAsset } from './stored-asset.js';

const FIELD_ORDER = [
  'name',
  'nna_address',
  'layer',
  'category',
  'subcategory',
  'categoryCode',
  'subcategoryCode',
  'description',
  'creatorDescription',
  'tags',
  'source',
  'gcpStorageUrl',
  'files',
  'metadata',
  'components',
  'trainingData',
  'rights',
  'status',
  'createdBy',
  'createdAt',
  'updatedAt',
  'albumArt',
  'aiMetadata',
  'extractedSongData',
];
const FIELD_RANK = new Map(FIELD_ORDER.map((field, index) => [field, index]));

function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) result[key] = sortedDeep((value as Record<string, unknown>)[key]);
    return result;
  }
  return value;
}

function compareFields(a: string, b: string): number {
  const rankA = FIELD_RANK.get(a) ?? FIELD_ORDER.length;
  const rankB = FIELD_RANK.get(b) ?? FIELD_ORDER.length;
  return rankA !== rankB ? rankA - rankB : a < b ? -1 : a > b ? 1 : 0;
}

export type AssetView = Record<string, unknown>;

export function toAssetView({ id, document }: StoredAsset): AssetView {
  const view: AssetView = { id, _id: id };
  const fields = Object.keys(document).filter((field) => field !== SYSTEM_FIELD && field !== 'id' && field !== '_id');
  for (const field of fields.sort(compareFields)) {
    view[field] = sortedDeep((document as Record<string, unknown>)[field]);
  }
  return view;
}

/** A strong ETag over the client-visible JSON: any writer's change to a visible field changes it. */
export function etagOf(view: AssetView): string {
  return `"${createHash('sha256').update(JSON.stringify(view)).digest('base64url').slice(0, 27)}"`;
}
