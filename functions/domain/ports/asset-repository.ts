import type { StoredAsset, StoredAssetDocument } from '../stored-asset.js';
import type { OutboxMessage } from './outbox.js';

/** Outbox messages to commit with a write, computed from the asset as written (its id included). */
export type OutboxWrites = (written: StoredAsset) => OutboxMessage[];

export type SortField = 'createdAt' | 'updatedAt' | 'name';

/** A listing the repository can answer with one index-backed query. */
export interface AssetListQuery {
  layer?: string;
  categoryCode?: string;
  subcategoryCode?: string;
  status?: string;
  tags?: string[];
  createdFrom?: string;
  createdTo?: string;
  sortBy: SortField;
  sortOrder: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export interface AssetPage {
  items: StoredAsset[];
  total: number;
}

/** Draws sequence numbers inside the transaction that writes the asset. */
export type SequenceAllocator = (sequenceKey: string) => Promise<number>;

export interface AssetRepository {
  get(id: string): Promise<StoredAsset | undefined>;
  /** Finds an asset by its base HFN or base MFA (composites are found by their own part). */
  findByAddress(kind: 'hfn' | 'mfa', base: string): Promise<StoredAsset | undefined>;
  /**
   * Creates an asset with the next number of its sequence; `build` turns the number into the
   * document and may run more than once if the transaction retries.
   */
  create(sequenceKey: string, build: (sequence: number) => StoredAssetDocument, outbox?: OutboxWrites): Promise<StoredAsset>;
  /**
   * Replaces an asset with what `change` makes of it, atomically; `change` sees the current asset
   * and may draw a new sequence number. Throws NotFoundError when it does not exist.
   */
  update(
    id: string,
    change: (current: StoredAsset, allocate: SequenceAllocator) => Promise<StoredAssetDocument>,
    outbox?: OutboxWrites,
  ): Promise<StoredAsset>;
  /** Deletes atomically after `check` approves the current asset. Throws NotFoundError when absent. */
  delete(id: string, check: (current: StoredAsset) => void): Promise<void>;
  list(query: AssetListQuery): Promise<AssetPage>;
}
