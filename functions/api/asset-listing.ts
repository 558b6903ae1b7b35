/**
 * Listings and word searches over the repository, with page numbers and opaque cursors. Listings
 * keep Firestore's order and continue with a Firestore cursor; searches rank a bounded candidate
 * set in memory (see README, "Search").
 */
import { isStorableDocumentId } from '../domain/asset-id.js';
import { ValidationError } from '../domain/errors.js';
import { hfnOf, looksLikeStoredAddress, mfaOf, parseAddress, type ParsedAddress } from '../domain/naming.js';
import type { AssetFilters, AssetRepository, SearchCandidates } from '../domain/ports/asset-repository.js';
import type { ListAssetsQuery } from '../domain/schemas/asset-query.js';
import { matchesFilters } from '../domain/search/asset-filters.js';
import { decodeCursor, encodeCursor, queryFingerprint } from '../domain/search/page-cursor.js';
import { indexedTermOf, parseSearchWords, searchTermsStoredOn, termsMatch } from '../domain/search/search-query.js';
import { compareRank, rankKeyOf, type RankKey } from '../domain/search/search-ranking.js';
import type { StoredAsset } from '../domain/stored-asset.js';
import type { Taxonomy } from '../domain/taxonomy/taxonomy.js';

/**
 * At least this many candidates are read and ranked per search (newest first beyond it), or the
 * page's limit when larger (up to 1,000): the reads of a search depend on it, never on the size of
 * the collection.
 */
export const SEARCH_CANDIDATE_LIMIT = 300;

export interface AssetListing {
  items: StoredAsset[];
  total: number;
  page: number;
  nextCursor?: string;
  /** The search read its candidate limit: `total` counts the matches among those only. */
  totalIsLowerBound?: boolean;
  documentsRead: number;
}

export async function listAssets(repository: AssetRepository, filters: AssetFilters, query: ListAssetsQuery): Promise<AssetListing> {
  const fingerprint = queryFingerprint(query);
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, fingerprint);
  if (cursor && cursor.k !== 'list') throw ValidationError.single('cursor', 'belongs to a search, not a listing');
  const page = cursor ? cursor.p : query.page;
  const result = await repository.list({
    ...filters,
    sortBy: query.sortBy,
    sortOrder: query.sortOrder,
    offset: (page - 1) * query.limit,
    limit: query.limit,
    ...(cursor ? { after: cursor.at } : {}),
  });
  const listing: AssetListing = { items: result.items, total: result.total, page, documentsRead: result.documentsRead };
  if (result.next) listing.nextCursor = encodeCursor({ v: 1, k: 'list', q: fingerprint, p: page + 1, at: result.next });
  return listing;
}

/** The search text as an address (HFN or MFA, composites included), if it is one. */
function addressIn(taxonomy: Taxonomy, text: string): ParsedAddress | undefined {
  try {
    return parseAddress(taxonomy, text, 'search');
  } catch (error) {
    // Most searches are words, not addresses: a text that does not parse is searched as words.
    if (error instanceof ValidationError) return undefined;
    throw error;
  }
}

/**
 * The search text as an asset id, if it could be one: the web frontend opens an asset with
 * `search=<its id>&limit=1`. Ids are Firestore auto-ids or legacy 24-hex ids: one token, no dot.
 */
function assetIdIn(text: string): string | undefined {
  return /^[A-Za-z0-9_-]{1,128}$/.test(text) && isStorableDocumentId(text) ? text : undefined;
}

const NO_CANDIDATES: SearchCandidates = { items: [], capped: false, documentsRead: 0 };

/** A search: the asset whose address or id was typed, then the assets holding every word, ranked. */
export async function searchAssets(
  repository: AssetRepository,
  taxonomy: Taxonomy,
  filters: AssetFilters,
  text: string,
  query: ListAssetsQuery,
): Promise<AssetListing> {
  const fingerprint = queryFingerprint(query);
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, fingerprint);
  if (cursor && cursor.k !== 'search') throw ValidationError.single('cursor', 'belongs to a listing, not a search');
  const address = addressIn(taxonomy, text);
  const words = parseSearchWords(text, address ? 'ignore' : 'refuse') ?? [];
  const stored = address || !looksLikeStoredAddress(text.trim()) ? undefined : text.trim();
  const id = address || stored ? undefined : assetIdIn(text);
  const limit = Math.max(SEARCH_CANDIDATE_LIMIT, query.limit);
  const lookUp = (): Promise<StoredAsset | undefined> | undefined => {
    if (address) return repository.findByAddress(address.kind, address.kind === 'hfn' ? hfnOf(address.base) : mfaOf(address.base));
    if (stored) return repository.findByStoredAddress(stored);
    return id ? repository.get(id) : undefined;
  };
  const [direct, candidates] = await Promise.all([
    lookUp(),
    words.length > 0
      ? repository.searchCandidates({ term: indexedTermOf(words), createdFrom: filters.createdFrom, createdTo: filters.createdTo, limit })
      : NO_CANDIDATES,
  ]);
  const ranked: Array<{ asset: StoredAsset; key: RankKey }> = [];
  if (direct && matchesFilters(direct.document, filters)) ranked.push({ asset: direct, key: rankKeyOf(direct, words, true) });
  for (const asset of candidates.items) {
    if (asset.id === direct?.id) continue;
    if (!matchesFilters(asset.document, filters) || !termsMatch(searchTermsStoredOn(asset.document), words)) continue;
    ranked.push({ asset, key: rankKeyOf(asset, words, false) });
  }
  ranked.sort((a, b) => compareRank(a.key, b.key));
  const page = cursor ? cursor.p : query.page;
  const start = cursor ? ranked.findIndex((entry) => compareRank(entry.key, cursor.at) > 0) : (page - 1) * query.limit;
  const from = start < 0 ? ranked.length : start;
  const served = ranked.slice(from, from + query.limit);
  const listing: AssetListing = {
    items: served.map((entry) => entry.asset),
    total: ranked.length,
    page,
    // Address lookups are single-document queries: at most one read each for the up to three tried.
    documentsRead: candidates.documentsRead + (direct ? 1 : 0),
  };
  if (candidates.capped) listing.totalIsLowerBound = true;
  const last = served[served.length - 1];
  if (last && from + served.length < ranked.length) {
    listing.nextCursor = encodeCursor({ v: 1, k: 'search', q: fingerprint, p: page + 1, at: last.key });
  }
  return listing;
}
