/** What both ways of answering a search share: the request as parsed, and the page they answer. */
import type { AssetFilters, AssetQueries } from '../domain/ports/asset-queries.js';
import { encodeCursor } from '../domain/search/page-cursor.js';
import type { SearchWords } from '../domain/search/search-query.js';
import type { RankKey } from '../domain/search/search-ranking.js';
import type { StoredAsset } from '../domain/stored-asset.js';
import type { AssetListing } from './asset-listing.js';

export interface SearchRequest {
  queries: AssetQueries;
  filters: AssetFilters;
  words: SearchWords;
  /** The asset whose address or id is the whole text, when it passes the filters: it ranks first. */
  named?: StoredAsset | undefined;
  limit: number;
  /** The page answered: from the cursor, or the `page` parameter. */
  page: number;
  /** The rank key of the last item the previous page served (the cursor's). */
  after?: RankKey | undefined;
  fingerprint: string;
  lookupReads: number;
}

export interface RankedAsset {
  asset: StoredAsset;
  key: RankKey;
}

export interface SearchCost {
  documentsRead: number;
  aggregationReads: number;
}

/** The listing of a search page; `more` says whether items follow the last one served. */
export function searchListing(request: SearchRequest, served: RankedAsset[], more: boolean, total: number, cost: SearchCost, partial: boolean): AssetListing {
  const listing: AssetListing = {
    items: served.map((entry) => entry.asset),
    total,
    page: request.page,
    documentsRead: cost.documentsRead + request.lookupReads,
    aggregationReads: cost.aggregationReads,
  };
  if (partial) listing.totalIsLowerBound = true;
  const last = served[served.length - 1];
  if (more && last) listing.nextCursor = encodeCursor({ v: 2, k: 'search', q: request.fingerprint, p: request.page + 1, at: last.key });
  return listing;
}
