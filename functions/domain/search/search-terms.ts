/**
 * The search index kept on each asset: every prefix of every word of the searchable fields, marked
 * with a trailing `*` (`b*`, `bo*`, ... `bohemian*`), each stored once, as a token naming the best
 * field (the ranking tier) that holds it: `n:bohemian*` when the name holds it, `d:bohemian*` when
 * only the description does. Prefixes stop at MAX_PREFIX_LENGTH; longer words are also kept whole,
 * unmarked, to check longer search words. The tokens are the array `_sys.search`, so that one
 * `array-contains` filter beside the equality filters and the date range, ordered on createdAt,
 * reads exactly the matches of one tier, newest first, from one composite index
 * (`_sys.search` CONTAINS, createdAt DESC) merged with the listing's equality indexes.
 * Computed on every write, in the write's own transaction; the migration and importer call the same functions.
 */
import type { AssetDocument } from '../schemas/asset.js';
import type { StoredAssetDocument } from '../stored-asset.js';
import { wordsOf } from './normalize.js';

/** Prefixes longer than this are not stored; a longer search word is checked in memory. */
export const MAX_PREFIX_LENGTH = 15;
/** Bound on terms per document (each is an entry in the array index and in the composite index). */
export const MAX_TERMS_PER_DOCUMENT = 600;
export const PREFIX_MARK = '*';
/** The stored field: dotted path of the token array. */
export const SEARCH_INDEX_FIELD = '_sys.search';

/**
 * The ranking tiers, best first: a match in the name ranks before one in the tags, and so on. The
 * song data (`extractedSongData`) comes last: the registry's ranking names the four fields before it.
 */
export const SEARCH_TIERS = ['name', 'tags', 'creatorDescription', 'description', 'song'] as const;
type SearchTier = (typeof SEARCH_TIERS)[number];

/** One letter a tier, written before the term: `n:pop*`. */
const TIER_CODES: Readonly<Record<SearchTier, string>> = { name: 'n', tags: 't', creatorDescription: 'c', description: 'd', song: 's' };
const TIER_OF_CODE = new Map(SEARCH_TIERS.map((tier, index) => [TIER_CODES[tier], index]));

/** The words of each tier's fields, in tier order. */
function searchTextsOf(document: AssetDocument): Array<[tier: number, words: string[]]> {
  const song = document.extractedSongData ?? {};
  const texts: Record<SearchTier, Array<string | undefined>> = {
    name: [document.name],
    tags: [(document.tags ?? []).join(' ')],
    creatorDescription: [document.creatorDescription],
    description: [document.description],
    song: [song.songName, song.artistName, song.albumName],
  };
  return SEARCH_TIERS.map((tier, index) => [index, texts[tier].flatMap((text) => (typeof text === 'string' ? wordsOf(text) : []))]);
}

export function prefixTerm(prefix: string): string {
  return `${prefix.slice(0, MAX_PREFIX_LENGTH)}${PREFIX_MARK}`;
}

/** The term that finds the whole word: its longest stored prefix, and the word itself when longer. */
function fullTermsOf(word: string): string[] {
  return word.length > MAX_PREFIX_LENGTH ? [prefixTerm(word), word] : [prefixTerm(word)];
}

function shorterPrefixesOf(word: string): string[] {
  const prefixes: string[] = [];
  for (let length = 1; length < Math.min(word.length, MAX_PREFIX_LENGTH); length++) prefixes.push(prefixTerm(word.slice(0, length)));
  return prefixes;
}

/**
 * Each term of the document with its best tier (the first tier whose fields hold it). Over the cap,
 * every word's full term is kept first (so that a whole word typed is always found), then the
 * shorter prefixes, both in tier order.
 */
function collectTerms(document: AssetDocument): Map<string, number> {
  const texts = searchTextsOf(document);
  const best = new Map<string, number>();
  for (const [tier, words] of texts) {
    for (const word of words) {
      for (const term of fullTermsOf(word)) if (!best.has(term)) best.set(term, tier);
      for (const term of shorterPrefixesOf(word)) if (!best.has(term)) best.set(term, tier);
    }
  }
  if (best.size <= MAX_TERMS_PER_DOCUMENT) return best;
  const kept = new Map<string, number>();
  const keep = (term: string): boolean => {
    if (kept.size >= MAX_TERMS_PER_DOCUMENT) return false;
    kept.set(term, best.get(term)!);
    return true;
  };
  for (const pass of [fullTermsOf, shorterPrefixesOf]) {
    for (const [, words] of texts) for (const word of words) for (const term of pass(word)) if (!kept.has(term) && !keep(term)) return kept;
  }
  return kept;
}

/** The token of a term in a tier: `n:pop*`. */
function tokenOf(tier: number, term: string): string {
  return `${TIER_CODES[SEARCH_TIERS[tier]!]}:${term}`;
}

/** The tokens of one term in every tier, best tier first. */
export function tokensOfTerm(term: string): string[] {
  return SEARCH_TIERS.map((_, tier) => tokenOf(tier, term));
}

/** A stored token as its tier and term; undefined for a value that is not a token. */
export function parseToken(token: string): { tier: number; term: string } | undefined {
  const tier = TIER_OF_CODE.get(token.slice(0, 1));
  return tier === undefined || token[1] !== ':' ? undefined : { tier, term: token.slice(2) };
}

/** The document's search index: one token per term, in a deterministic order. */
export function searchIndexOf(document: AssetDocument): string[] {
  const tokens: string[] = [];
  for (const [term, tier] of collectTerms(document)) tokens.push(tokenOf(tier, term));
  return tokens;
}

/** The document's search terms (without tiers), sorted. */
export function searchTermsOf(document: AssetDocument): string[] {
  return [...collectTerms(document).keys()].sort();
}

/**
 * The `_sys` of a document with its search index recomputed; the fields of the earlier designs (the
 * `searchTerms` array, the `terms` map) are dropped, and their index entries with them.
 */
export function systemWithSearchIndex(system: Record<string, unknown> | undefined, tokens: string[]): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...system };
  delete rest['searchTerms'];
  delete rest['terms'];
  return { ...rest, search: tokens };
}

/** The document with its search index recomputed, everything else unchanged. */
export function withSearchIndex(document: StoredAssetDocument): StoredAssetDocument {
  return {
    ...document,
    _sys: systemWithSearchIndex(document._sys as Record<string, unknown> | undefined, searchIndexOf(document)) as unknown as StoredAssetDocument['_sys'],
  };
}
