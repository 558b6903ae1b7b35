/**
 * Reading live assets: by id, by address, listings and the search index's matches. Nothing here
 * writes; deleted assets are out of every query (deleted-assets.ts reads those).
 */
import type { StoredAsset } from '../stored-asset.js';

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

/** A listing the store can answer with index-backed queries. */
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

export interface AssetQueries {
  get(id: string): Promise<StoredAsset | undefined>;
  /** Finds an asset by its base HFN or base MFA (composites are found by their own part). */
  findByAddress(kind: 'hfn' | 'mfa', base: string): Promise<StoredAsset | undefined>;
  /**
   * Finds an asset whose `name` or `nna_address` is exactly this text: an imported asset keeps the
   * old backend's spelling even where the taxonomy cannot read it (`G.undefined.undefined.001`).
   */
  findByStoredAddress(text: string): Promise<StoredAsset | undefined>;
  list(query: AssetListQuery): Promise<AssetPage>;
  /** A page of the matches of a search's index lookup (or of a tag filter), newest first. */
  readMatching(query: MatchQuery): Promise<MatchPage>;
  /** How many assets `readMatching` would find in all, by a `count()` aggregation. */
  countMatching(query: MatchFilters): Promise<MatchCount>;
}
