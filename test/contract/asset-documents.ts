/**
 * Asset documents for the contract suites, made as the API makes them (the domain's builder over
 * the real taxonomy), and what the port under test must provide besides itself.
 */
import { buildNewAsset, sequenceKeyOf, type ComponentRef } from '../../functions/domain/asset-builder.js';
import type { AssetListQuery } from '../../functions/domain/ports/asset-queries.js';
import type { AssetStore } from '../../functions/domain/ports/asset-store.js';
import type { AssetWriteListener, AssetWrites, SoftDeleteRequest } from '../../functions/domain/ports/asset-writes.js';
import type { HistoryReader } from '../../functions/domain/ports/history-reader.js';
import type { OutboxStore } from '../../functions/domain/ports/outbox.js';
import { createAssetSchema } from '../../functions/domain/schemas/asset-input.js';
import { registryFieldsOf, type StoredAsset, type StoredAssetDocument } from '../../functions/domain/stored-asset.js';
import { taxonomy, type TaxonomyPath } from '../../functions/domain/taxonomy/taxonomy.js';

/** The ports that share the assets collection, and a way to put documents in place as other writers left them. */
export interface AssetStoreUnderTest extends AssetStore {
  history: HistoryReader;
  outbox: OutboxStore;
  /** Writes a document directly (a legacy or imported asset): no counter, no history. */
  seed(id: string, document: Record<string, unknown>): Promise<void>;
}

/** A fresh store; `onWrite` hears every write of its AssetWrites once it has finished. */
export type MakeAssetStore = (options?: { onWrite?: AssetWriteListener }) => Promise<AssetStoreUnderTest>;

export const API = { writer: 'api', actor: 'contract@example.com' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export function sequenceOf(asset: StoredAsset): number {
  return registryFieldsOf(asset.document)!.sequence;
}

/** An asset created as the API creates it. */
export async function create(writes: AssetWrites, options: AssetOptions = {}): Promise<StoredAsset> {
  const { key, build } = newAsset(options);
  return writes.create(key, build, API);
}

export function listQuery(overrides: Partial<AssetListQuery> = {}): AssetListQuery {
  return { sortBy: 'createdAt', sortOrder: 'desc', offset: 0, limit: 100, ...overrides };
}

export function softDeleteRequest(overrides: Partial<SoftDeleteRequest> = {}): SoftDeleteRequest {
  const now = new Date();
  return { check: () => undefined, deletedBy: 'editor@example.com', force: false, now, purgeAt: new Date(now.getTime() + 30 * DAY_MS), ...overrides };
}

const STAR_POP = taxonomy.resolve({ layer: 'S', category: 'POP', subcategory: 'BAS' });
export const STAR_ROCK = taxonomy.resolve({ layer: 'S', category: 'RCK', subcategory: 'BAS' });
export const COMPOSITE = taxonomy.resolve({ layer: 'C', category: 'RMX', subcategory: 'POP' });

export interface AssetOptions {
  path?: TaxonomyPath;
  fields?: Record<string, unknown>;
  components?: ComponentRef[];
  now?: string;
}

/** The sequence key and builder a create needs, for an asset made as the API makes it. */
export function newAsset(options: AssetOptions = {}): { key: string; build: (sequence: number) => StoredAssetDocument } {
  const path = options.path ?? STAR_POP;
  const input = createAssetSchema.parse({
    layer: path.layer.code,
    category: path.category.code,
    subcategory: path.subcategory.code,
    source: 'ReViz',
    description: 'A contract asset',
    tags: ['general'],
    ...options.fields,
  });
  const now = options.now ?? new Date().toISOString();
  return {
    key: sequenceKeyOf(path),
    build: (sequence) => buildNewAsset({ input, path, sequence, components: options.components ?? [], createdBy: 'contract@example.com', now }),
  };
}

/** A legacy document, as the old backend left it: no `_sys`, its address only in `name` and `nna_address`. */
export function legacyDocument(name: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const [layer, category, subcategory] = name.split('.');
  return {
    name,
    nna_address: `mfa-of-${name}`,
    layer,
    category,
    subcategory,
    description: `legacy ${name}`,
    tags: [],
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    ...fields,
  };
}

/** A document as Firestore keeps it: undefined properties are not written. */
export function asStored<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** The rejection of a promise that must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** A copy of a document without one field. */
export function without(document: Record<string, unknown>, field: string): Record<string, unknown> {
  const copy = { ...document };
  delete copy[field];
  return copy;
}
