/**
 * A listing of live assets (AssetQueries.list) with page numbers and opaque cursors: a cursor holds
 * the store's position of the page's last item, so the next page continues there instead of
 * skipping. Searches answer the same shape (asset-search.ts).
 */
import { ValidationError } from '../domain/errors.js';
import type { AssetFilters, AssetQueries } from '../domain/ports/asset-queries.js';
import type { ListAssetsQuery } from '../domain/schemas/asset-query.js';
import { decodeCursor, encodeCursor, queryFingerprint } from '../domain/search/page-cursor.js';
import type { StoredAsset } from '../domain/stored-asset.js';

export interface AssetListing {
  items: StoredAsset[];
  total: number;
  page: number;
  nextCursor?: string;
  /** The search could not read every match: `total` counts those it found (docs/search.md). */
  totalIsLowerBound?: boolean;
  /** Documents billed: the items, one more to see whether others follow, skipped ones, lookups. */
  documentsRead: number;
  /** What the `count()` aggregations billed: one read per 1,000 index entries each, at least one. */
  aggregationReads: number;
}

export async function listAssets(queries: AssetQueries, filters: AssetFilters, query: ListAssetsQuery): Promise<AssetListing> {
  const fingerprint = queryFingerprint(query);
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, fingerprint);
  if (cursor && cursor.k !== 'list') throw ValidationError.single('cursor', 'belongs to a search, not a listing');
  const page = cursor ? cursor.p : query.page;
  const result = await queries.list({
    ...filters,
    sortBy: query.sortBy,
    sortOrder: query.sortOrder,
    offset: (page - 1) * query.limit,
    limit: query.limit,
    ...(cursor ? { after: cursor.at } : {}),
  });
  const listing: AssetListing = {
    items: result.items,
    total: result.total,
    page,
    documentsRead: result.documentsRead,
    aggregationReads: result.aggregationReads,
  };
  if (result.next) listing.nextCursor = encodeCursor({ v: 1, k: 'list', q: fingerprint, p: page + 1, at: result.next });
  return listing;
}
