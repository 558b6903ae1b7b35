/**
 * A search the index cannot answer alone (several words, a word longer than the stored prefixes, a
 * word with `tags[]`, which Firestore cannot filter beside the index's array): each side (a word in
 * every tier, or the tags) is counted, and the rarest side's matches are read, newest first, and
 * checked against the rest in memory, then ranked. Every match is found while that side holds at
 * most SEARCH_SCAN_LIMIT assets within the filters; beyond it the newest are ranked and the answer
 * says its total is a lower bound.
 */
import type { MatchFilters, MatchQuery, PagePosition } from '../domain/ports/asset-queries.js';
import { matchesFilters } from '../domain/search/asset-filters.js';
import { matchTierOf, storedTiersOf, termsMatch, tokensOfWord } from '../domain/search/search-query.js';
import { compareRank, rankKeyOf } from '../domain/search/search-ranking.js';
import type { StoredAsset } from '../domain/stored-asset.js';
import type { AssetListing } from './asset-listing.js';
import { searchListing, type RankedAsset, type SearchCost, type SearchRequest } from './search-request.js';

/** A search reads at most this many matches of its rarest side to find every match. */
export const SEARCH_SCAN_LIMIT = 5000;
/** Beyond it, the newest this many (or the page's limit when larger) are read and ranked. */
export const PARTIAL_SEARCH_CANDIDATES = 300;
/** Matches read a query while reading a side. */
const SCAN_PAGE = 1000;

/** The sides of a search: each word in every tier, and the tags when given. */
function sidesOf(request: SearchRequest): MatchFilters[] {
  const { tags, ...rest } = request.filters;
  const sides: MatchFilters[] = request.words.map((word) => ({ ...rest, tokens: tokensOfWord(word) }));
  // A text without words finds only the asset it names.
  if (sides.length > 0 && tags && tags.length > 0) sides.push({ ...rest, tags });
  return sides;
}

/** Reads up to `budget` matches of one side, newest first. */
async function readSide(request: SearchRequest, side: MatchFilters, budget: number, cost: SearchCost): Promise<{ assets: StoredAsset[]; more: boolean }> {
  const assets: StoredAsset[] = [];
  let after: PagePosition | undefined;
  for (;;) {
    const query: MatchQuery = { ...side, limit: Math.min(SCAN_PAGE, budget - assets.length), ...(after ? { after } : {}) };
    const page = await request.queries.readMatching(query);
    cost.documentsRead += page.documentsRead;
    assets.push(...page.items);
    if (!page.next) return { assets, more: false };
    if (assets.length >= budget) return { assets, more: true };
    after = page.next;
  }
}

export async function scannedSearch(request: SearchRequest): Promise<AssetListing> {
  const { named, words, filters, limit } = request;
  const cost: SearchCost = { documentsRead: 0, aggregationReads: 0 };
  const ranked: RankedAsset[] = [];
  if (named) ranked.push({ asset: named, key: rankKeyOf(named, 0, true) });
  let partial = false;
  const sides = sidesOf(request);
  if (sides.length > 0) {
    const counts = await Promise.all(sides.map((side) => request.queries.countMatching(side)));
    for (const counted of counts) cost.aggregationReads += counted.aggregationReads;
    const rarest = counts.reduce((best, counted, index) => (counted.count < counts[best]!.count ? index : best), 0);
    const complete = counts[rarest]!.count <= SEARCH_SCAN_LIMIT;
    const budget = complete ? SEARCH_SCAN_LIMIT : Math.max(PARTIAL_SEARCH_CANDIDATES, limit);
    const read = await readSide(request, sides[rarest]!, budget, cost);
    partial = read.more;
    for (const asset of read.assets) {
      if (asset.id === named?.id || !matchesFilters(asset.document, filters)) continue;
      // The stored index is read once: it decides the match and the tier.
      const tiers = storedTiersOf(asset.document);
      if (!termsMatch([...tiers.keys()], words)) continue;
      ranked.push({ asset, key: rankKeyOf(asset, matchTierOf(tiers, words)) });
    }
  }
  ranked.sort((a, b) => compareRank(a.key, b.key));
  const after = request.after;
  const start = after ? ranked.findIndex((entry) => compareRank(entry.key, after) > 0) : (request.page - 1) * limit;
  const from = start < 0 ? ranked.length : start;
  const served = ranked.slice(from, from + limit);
  return searchListing(request, served, from + served.length < ranked.length, ranked.length, cost, partial);
}
