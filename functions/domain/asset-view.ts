/**
 * The JSON clients read for an asset. Its bytes are deterministic: top-level fields in the order
 * the old backend sent them, unknown legacy fields after them in name order, nested keys sorted.
 * A field appears only when the document has it, so legacy documents read back unchanged; assets the
 * registry wrote or imported also answer the canonical forms beside the old backend's fields
 * (registry-shape.ts: `hfn`, `mfa`, `createdBy`, `trainingDataInfo`, `rightsInfo`).
 */
import { createHash } from 'node:crypto';
import { albumArtFields, type AlbumArtDisplay } from './album-art-view.js';
import { canonicalFieldsAfter } from './registry-shape.js';
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

/**
 * Album art as clients see it: the private original is never addressed (its object name and the URL
 * older versions recorded are dropped; the `original`-size variant is the public full-size image),
 * and the processor's delivery lease is internal.
 */
function publicAlbumArt(albumArt: unknown): unknown {
  if (albumArt === null || typeof albumArt !== 'object' || Array.isArray(albumArt)) return albumArt;
  const visible: Record<string, unknown> = { ...albumArt };
  delete visible['lease'];
  const original = visible['original'];
  if (original !== null && typeof original === 'object') {
    const facts: Record<string, unknown> = { ...original };
    delete facts['url'];
    delete facts['objectName'];
    visible['original'] = facts;
  }
  return visible;
}

/** The asset as clients read it, with its album art as `display` says (album-art-view.ts). */
export function toAssetView({ id, document }: StoredAsset, display: AlbumArtDisplay): AssetView {
  const view: AssetView = { id, _id: id };
  const fields = Object.keys(document).filter((field) => field !== SYSTEM_FIELD && field !== 'id' && field !== '_id');
  for (const field of fields.sort(compareFields)) {
    const value = (document as Record<string, unknown>)[field];
    if (field === 'albumArt') {
      for (const [name, shown] of albumArtFields(publicAlbumArt(value), display)) view[name] = sortedDeep(shown);
    } else {
      view[field] = sortedDeep(value);
    }
    for (const [name, canonical] of canonicalFieldsAfter(field, document)) view[name] = sortedDeep(canonical);
  }
  return view;
}

/** A strong ETag over JSON bytes a client reads (an asset, a listing page). */
export function etagOfBytes(json: string | Buffer): string {
  return `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;
}

/** A strong ETag over the client-visible JSON: any writer's change to a visible field changes it. */
export function etagOf(view: AssetView): string {
  return etagOfBytes(JSON.stringify(view));
}
