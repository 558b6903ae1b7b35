import type { HistoryContext } from '../history-entry.js';
import type { StoredAsset, StoredAssetDocument } from '../stored-asset.js';
import type { OutboxMessage } from './outbox.js';
import type { WriteFence } from './idempotency-store.js';

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
  /** Documents billed for the page: the items, skipped documents, one more to see if others follow. */
  documentsRead: number;
  /** What the `count()` of the total billed (one read per 1,000 index entries, at least one). */
  aggregationReads: number;
}

/**
 * The assets matching the filters and, with `tokens`, holding one of these search-index tokens
 * (search-terms.ts), newest first (createdAt descending, then id descending): what a search reads
 * from the index. `tokens` and `tags` never come together (Firestore takes one array filter a query).
 */
export interface MatchFilters extends AssetFilters {
  tokens?: readonly string[];
}

export interface MatchQuery extends MatchFilters {
  limit: number;
  /** Continue after this [createdAt, id]; otherwise skip `offset` matches (billed as reads). */
  after?: PagePosition;
  offset?: number;
}

export interface MatchPage {
  items: StoredAsset[];
  /** The [createdAt, id] of the last item, present only when more matches follow. */
  next?: PagePosition;
  /** Documents billed: the items, the skipped ones, the one more read to see if others follow (one for an empty answer). */
  documentsRead: number;
}

export interface MatchCount {
  count: number;
  /** What the `count()` aggregation billed: one read per 1,000 index entries, at least one. */
  aggregationReads: number;
}

/** Draws sequence numbers inside the transaction that writes the asset. */
export type SequenceAllocator = (sequenceKey: string) => Promise<number>;

export interface AssetRepository {
  get(id: string): Promise<StoredAsset | undefined>;
  /** Finds an asset by its base HFN or base MFA (composites are found by their own part). */
  findByAddress(kind: 'hfn' | 'mfa', base: string): Promise<StoredAsset | undefined>;
  /**
   * Finds an asset whose `name` or `nna_address` is exactly this text: an imported asset keeps the
   * old backend's spelling even where the taxonomy cannot read it (`G.undefined.undefined.001`).
   */
  findByStoredAddress(text: string): Promise<StoredAsset | undefined>;
  /**
   * Creates an asset with the next number of its sequence; `build` turns the number into the
   * document and may run more than once if the transaction retries.
   */
  create(
    sequenceKey: string,
    build: (sequence: number) => StoredAssetDocument,
    history: HistoryContext,
    outbox?: OutboxWrites,
    /** The Idempotency-Key claim this write commits under (idempotency-store.ts). */
    fence?: WriteFence,
  ): Promise<StoredAsset>;
  /**
   * Replaces an asset with what `change` makes of it, atomically; `change` sees the current asset
   * and may draw a new sequence number. Throws NotFoundError when it does not exist.
   */
  update(
    id: string,
    change: (current: StoredAsset, allocate: SequenceAllocator) => Promise<StoredAssetDocument>,
    history: HistoryContext,
    outbox?: OutboxWrites,
    fence?: WriteFence,
  ): Promise<StoredAsset>;
  /** Removes an asset for good (a create whose file could not be placed). Throws NotFoundError when absent. */
  delete(id: string, history: HistoryContext): Promise<void>;
  /**
   * Moves the asset out of every read path into the deleted assets, atomically, after `check`
   * approves it; its sequence number stays used. Refused (ConflictError) while live composites name
   * it, unless `force`: they then list it in `deletedComponents`.
   */
  softDelete(id: string, request: SoftDeleteRequest): Promise<DeletedAsset>;
  /** Puts a deleted asset back exactly as it was; NotFoundError when not deleted or past its retention. */
  restore(id: string, actor: string, now: Date): Promise<StoredAsset>;
  getDeleted(id: string): Promise<DeletedAsset | undefined>;
  /** Deleted assets, most recently deleted first. */
  listDeleted(limit: number, after?: string): Promise<{ items: DeletedAsset[]; next?: string }>;
  /** Deleted assets whose retention ended at or before `now`, oldest first. */
  expiredDeleted(now: Date, limit: number): Promise<DeletedAsset[]>;
  /** Forgets a deleted asset (after its files are cleaned up). */
  removeDeleted(id: string): Promise<void>;
  /** Whether a live or deleted asset other than `exceptId` uses album art with this content key. */
  albumArtInUse(contentKey: string, exceptId: string): Promise<boolean>;
  /** Whether a deleted asset has this base HFN or MFA. */
  isDeletedAddress(kind: 'hfn' | 'mfa', base: string): Promise<boolean>;
  list(query: AssetListQuery): Promise<AssetPage>;
  /** A page of the matches of a search's index lookup (or of a tag filter), newest first. */
  readMatching(query: MatchQuery): Promise<MatchPage>;
  /** How many assets `readMatching` would find in all, by a `count()` aggregation. */
  countMatching(query: MatchFilters): Promise<MatchCount>;
}

export interface SoftDeleteRequest {
  check: (current: StoredAsset) => void;
  deletedBy: string;
  reason?: string | undefined;
  force: boolean;
  now: Date;
  /** The end of the retention: restorable until then, purged after. */
  purgeAt: Date;
}

export interface DeletedAsset {
  asset: StoredAsset;
  deletedBy: string;
  deletedAt: string;
  reason?: string;
  purgeAt: string;
  /** Composites (ids) that named the asset when an admin forced its deletion. */
  forcedComposites: string[];
}
