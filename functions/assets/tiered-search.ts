/**
 * A one-word search answered by the index alone: the tiers' queries (`n:pop*`, then `t:pop*`, ...)
 * read in rank order, each newest first, beside every filter, so a page reads its own items, one
 * more to see whether others follow, and one read for each tier it finds empty. `total` is one
 * `count()` of the word in every tier (its tokens are disjoint: a term is stored in one tier).
 * The asset named by the whole text comes first and is skipped where its tier lists it.
 */
import type { PagePosition } from '../domain/ports/asset-queries.js';
import { storedTiersOf, tokensOfWord } from '../domain/search/search-query.js';
import { compareRank, rankKeyOf, type RankKey } from '../domain/search/search-ranking.js';
import { prefixTerm, SEARCH_TIERS } from '../domain/search/search-terms.js';
import type { AssetListing } from './asset-listing.js';
import { searchListing, type RankedAsset, type SearchCost, type SearchRequest } from './search-request.js';

/** Where a page starts: a tier, and a position in it (after an item, or a number of items in). */
interface Start {
  tier: number;
  after?: PagePosition;
  offset: number;
}

export async function tieredSearch(request: SearchRequest): Promise<AssetListing> {
  const { queries, filters, named, limit } = request;
  const tokens = tokensOfWord(request.words[0]!);
  // The tier where the index lists the named asset, if it holds the word at all.
  const namedTier = named ? storedTiersOf(named.document).get(prefixTerm(request.words[0]!)) : undefined;
  const namedBeyondIndex = named && namedTier === undefined ? 1 : 0;
  const cost: SearchCost = { documentsRead: 0, aggregationReads: 0 };
  const countAll = async (): Promise<number> => {
    const counted = await queries.countMatching({ ...filters, tokens });
    cost.aggregationReads += counted.aggregationReads;
    return counted.count + namedBeyondIndex;
  };
  const served: RankedAsset[] = [];
  let skip = request.after ? 0 : (request.page - 1) * limit;
  if (!request.after && named) {
    if (skip === 0) served.push({ asset: named, key: rankKeyOf(named, 0, true) });
    else skip -= 1;
  }
  if (request.after || skip === 0) {
    const start = request.after ? startAfter(request.after) : { tier: 0, offset: 0 };
    const more = await fill(request, tokens, start, namedTier, served, cost);
    // A first page that holds every match counts them itself (the browse page asks for 1,000): no count() then.
    const total = !request.after && !more ? served.length : await countAll();
    return searchListing(request, served, more, total, cost, false);
  }
  // A page number without a cursor: the tiers' own counts say which tier the page starts in.
  const counts = await Promise.all(tokens.map((token) => queries.countMatching({ ...filters, tokens: [token] })));
  for (const counted of counts) cost.aggregationReads += counted.aggregationReads;
  const total = counts.reduce((sum, counted) => sum + counted.count, 0) + namedBeyondIndex;
  for (const [tier, counted] of counts.entries()) {
    const listed = counted.count - (tier === namedTier ? 1 : 0);
    if (skip < listed) {
      const more = await fill(request, tokens, { tier, offset: skip }, namedTier, served, cost);
      return searchListing(request, served, more, total, cost, false);
    }
    skip -= listed;
  }
  return searchListing(request, served, false, total, cost, false);
}

/** Where the page after a cursor's rank key starts: the tier start after the named asset, else after its item. */
function startAfter([first, tier, createdAt, id]: RankKey): Start {
  return first === 0 ? { tier: 0, offset: 0 } : { tier, after: [createdAt, id], offset: 0 };
}

/**
 * Reads the tiers from `start` until the page is served; says whether more items follow it. Each
 * read asks the index for what the page still needs: its one more read tells whether the tier
 * goes on; a page that ends with its tier probes the next tiers for one item each.
 */
async function fill(
  request: SearchRequest,
  tokens: string[],
  start: Start,
  namedTier: number | undefined,
  served: RankedAsset[],
  cost: SearchCost,
): Promise<boolean> {
  const { queries, filters, named, limit } = request;
  let { tier, after, offset } = start;
  let skippedNamedUnseen = offset > 0 && tier === namedTier;
  if (served.length >= limit) return anyInTiers(request, tokens, tier, cost);
  while (tier < SEARCH_TIERS.length) {
    const room = limit - served.length;
    // The named asset may stand in this tier (it is skipped), and may have stood among the skipped.
    const spare = (tier === namedTier ? 1 : 0) + (skippedNamedUnseen ? 1 : 0);
    const page = await queries.readMatching({ ...filters, tokens: [tokens[tier]!], limit: room + spare, ...(after ? { after } : { offset }) });
    cost.documentsRead += page.documentsRead;
    let items = page.items;
    if (skippedNamedUnseen && named && items[0] && compareRank(rankKeyOf(named, tier), rankKeyOf(items[0], tier)) < 0) {
      // The offset counted the named asset, which this tier does not list: one item fewer was skipped.
      items = items.slice(1);
    }
    skippedNamedUnseen = false;
    const listed = items.filter((asset) => asset.id !== named?.id);
    for (const asset of listed.slice(0, room)) served.push({ asset, key: rankKeyOf(asset, tier) });
    if (served.length >= limit) return listed.length > room || page.next !== undefined || anyInTiers(request, tokens, tier + 1, cost);
    after = page.next;
    if (after === undefined) {
      tier += 1;
      offset = 0;
    }
  }
  return false;
}

/** Whether a tier from `first` on lists an asset other than the named one: one short read each. */
async function anyInTiers(request: SearchRequest, tokens: string[], first: number, cost: SearchCost): Promise<boolean> {
  for (let tier = first; tier < SEARCH_TIERS.length; tier++) {
    const page = await request.queries.readMatching({ ...request.filters, tokens: [tokens[tier]!], limit: 1 });
    cost.documentsRead += page.documentsRead;
    if (page.next !== undefined || page.items.some((asset) => asset.id !== request.named?.id)) return true;
  }
  return false;
}
