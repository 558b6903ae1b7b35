/**
 * A search box text as the registry understands it: every word must match the start of a word of
 * the asset, so the word being typed (the last) matches as a prefix and so do the others ('bohem
 * rhaps'). A one-word search is answered by the index alone (search-terms.ts); with more words, one
 * word's matches are read and the others checked on each of them.
 */
import { ValidationError } from '../errors.js';
import type { StoredAssetDocument } from '../stored-asset.js';
import { wordsOf } from './normalize.js';
import { MAX_PREFIX_LENGTH, PREFIX_MARK, parseToken, prefixTerm, tokensOfTerm } from './search-terms.js';

/** More words than this are refused: each extra word is checked in memory on every candidate. */
export const MAX_QUERY_WORDS = 8;

/** The words of a search; each must be the start of a word of the asset ('bohem rhaps'). */
export type SearchWords = readonly string[];

/**
 * The words of a search text, or undefined when it has none (only spaces or punctuation). Too many
 * words are a 400, unless `tooMany` is 'ignore' (an address typed in the box is looked up, not
 * searched word by word, so a long composite address is fine).
 */
export function parseSearchWords(text: string, tooMany: 'refuse' | 'ignore' = 'refuse'): SearchWords | undefined {
  const words = [...new Set(wordsOf(text))];
  if (words.length === 0) return undefined;
  if (words.length > MAX_QUERY_WORDS) {
    if (tooMany === 'ignore') return undefined;
    throw ValidationError.single('search', `has ${words.length} different words; at most ${MAX_QUERY_WORDS} are searched`);
  }
  return words;
}

/**
 * Whether the index alone decides the matches of these words: one word no longer than the stored
 * prefixes. Otherwise the other words (or the rest of a long word) are checked on each document.
 */
export function indexDecides(words: SearchWords): boolean {
  return words.length === 1 && words[0]!.length <= MAX_PREFIX_LENGTH;
}

/** The tokens that find a word in every tier, best first. */
export function tokensOfWord(word: string): string[] {
  return tokensOfTerm(prefixTerm(word));
}

/** Whether a document's stored terms start a word with every search word. */
export function termsMatch(terms: readonly string[], words: SearchWords): boolean {
  const stored = new Set(terms);
  return words.every((word) => {
    if (!stored.has(prefixTerm(word))) return false;
    // A word longer than the stored prefixes is checked against the long words kept whole.
    return word.length <= MAX_PREFIX_LENGTH || terms.some((term) => !term.endsWith(PREFIX_MARK) && term.startsWith(word));
  });
}

/** The stored tokens of a document as a map from term to tier. */
export function storedTiersOf(document: StoredAssetDocument): Map<string, number> {
  const tiers = new Map<string, number>();
  const tokens = (document._sys as { search?: unknown } | undefined)?.search;
  if (!Array.isArray(tokens)) return tiers;
  for (const token of tokens) {
    const parsed = typeof token === 'string' ? parseToken(token) : undefined;
    if (parsed) tiers.set(parsed.term, parsed.tier);
  }
  return tiers;
}

/** The best tier in which a document holds one of the words: its ranking tier for this search. */
export function matchTierOf(stored: Map<string, number>, words: SearchWords): number {
  let best = Number.MAX_SAFE_INTEGER;
  for (const word of words) best = Math.min(best, stored.get(prefixTerm(word)) ?? best);
  return best;
}
