import type { StoredAsset, StoredAssetDocument } from '../stored-asset.js';
import type { OutboxMessage } from './outbox.js';

/** Outbox messages to commit with a write, computed from the asset as written (its id included). */
export type OutboxWrites = (written: StoredAsset) => OutboxMessage[];

export type SortField = 'createdAt' | 'updatedAt' | 'name';

/** Filters every listing and search may combine (codes, not display names). */
export interface AssetFilters {
  layer?: string;
  categoryCode?: string;
  subcategoryCode?: string;
  status?: string;
  tags?: string[];
  createdFrom?: string;
  createdTo?: string;
}

/** A value of the listing's order fields, JSON-safe, to continue after (a Firestore cursor). */
export type PagePosition = Array<string | number | boolean | null>;

/** A listing the repository can answer with index-backed queries. */
export interface AssetListQuery extends AssetFilters {
  sortBy: SortField;
  sortOrder: 'asc' | 'desc';
  /** Documents to skip (billed as reads); ignored when `after` is given. */
  offset: number;
  limit: number;
  /** Continue after this position instead of skipping: deep pages cost what shallow ones do. */
  after?: PagePosition;
}

export interface AssetPage {
  items: StoredAsset[];
  total: number;
  /** The position of the last item, present only when more items follow. */
  next?: PagePosition;
  /** Documents billed for the page: the items, skipped documents, one more to see if others follow, the count. */
  documentsRead: number;
}

/**
 * Candidates for a word search: the assets holding one index term, created within the dates, newest
 * first. The other filters are checked by the caller (no index could serve them with any term).
 */
export interface AssetSearchQuery {
  term: string;
  createdFrom?: string | undefined;
  createdTo?: string | undefined;
  /** At most this many candidates are read. */
  limit: number;
}

export interface SearchCandidates {
  items: StoredAsset[];
  /** More candidates exist than were read. */
  capped: boolean;
  documentsRead: number;
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
  searchCandidates(query: AssetSearchQuery): Promise<SearchCandidates>;
}
