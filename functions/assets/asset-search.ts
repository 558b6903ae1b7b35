/**
 * Word search over the search index (docs/search.md). The asset whose address or id is the whole
 * text comes first; then every asset holding every word, ranked by the best field that holds a
 * match, newest first (domain/search/search-ranking.ts).
 * - One word (no `tags[]`): the index alone decides, tier by tier, so a page reads its own items
 *   (+1 to see whether more follow, +1 a tier it passes) and `total` is one `count()`, whatever the
 *   size of the registry (tiered-search.ts).
 * - More words, a word longer than the stored prefixes, or a word with `tags[]`: the rarest side's
 *   matches are read and the rest checked on each, exactly while that side holds at most
 *   SEARCH_SCAN_LIMIT assets within the filters; beyond, the newest are ranked and the answer says
 *   it is partial (scanned-search.ts).
 */
import { isStorableDocumentId } from '../domain/asset-id.js';
import { ValidationError } from '../domain/errors.js';
import { hfnOf, looksLikeStoredAddress, mfaOf, parseAddress, type ParsedAddress } from '../domain/naming.js';
import type { AssetFilters, AssetQueries } from '../domain/ports/asset-queries.js';
import type { ListAssetsQuery } from '../domain/schemas/asset-query.js';
import { matchesFilters } from '../domain/search/asset-filters.js';
import { decodeCursor, queryFingerprint } from '../domain/search/page-cursor.js';
import { indexDecides, parseSearchWords } from '../domain/search/search-query.js';
import type { StoredAsset } from '../domain/stored-asset.js';
import type { Taxonomy } from '../domain/taxonomy/taxonomy.js';
import type { AssetListing } from './asset-listing.js';
import { scannedSearch } from './scanned-search.js';
import { tieredSearch } from './tiered-search.js';
import type { SearchRequest } from './search-request.js';

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

interface NamedLookup {
  /** The text is an address (its parts are not refused as too many words). */
  address: boolean;
  found?: Promise<StoredAsset | undefined>;
}

/** The asset the whole text names (by address, stored address or id), if any. */
function lookUpNamed(queries: AssetQueries, taxonomy: Taxonomy, text: string): NamedLookup {
  const address = addressIn(taxonomy, text);
  if (address) {
    return { address: true, found: queries.findByAddress(address.kind, address.kind === 'hfn' ? hfnOf(address.base) : mfaOf(address.base)) };
  }
  const trimmed = text.trim();
  if (looksLikeStoredAddress(trimmed)) return { address: true, found: queries.findByStoredAddress(trimmed) };
  const id = assetIdIn(text);
  return id ? { address: false, found: queries.get(id) } : { address: false };
}

export async function searchAssets(
  queries: AssetQueries,
  taxonomy: Taxonomy,
  filters: AssetFilters,
  text: string,
  query: ListAssetsQuery,
): Promise<AssetListing> {
  const fingerprint = queryFingerprint(query);
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, fingerprint);
  if (cursor && cursor.k !== 'search') throw ValidationError.single('cursor', 'belongs to a listing, not a search');
  const named = lookUpNamed(queries, taxonomy, text);
  // An address has many parts: a long composite one is looked up, not searched word by word.
  const words = parseSearchWords(text, named.address ? 'ignore' : 'refuse') ?? [];
  const found = named.found ? await named.found : undefined;
  const request: SearchRequest = {
    queries,
    filters,
    words,
    named: found && matchesFilters(found.document, filters) ? found : undefined,
    limit: query.limit,
    page: cursor ? cursor.p : query.page,
    after: cursor?.at,
    fingerprint,
    // A lookup is a single-document query: one read, found or not.
    lookupReads: named.found ? 1 : 0,
  };
  const hasTags = (filters.tags ?? []).length > 0;
  return indexDecides(words) && !hasTags ? tieredSearch(request) : scannedSearch(request);
}
