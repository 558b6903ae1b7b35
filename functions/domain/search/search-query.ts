/**
 * A search box text as the registry understands it: every word must match the start of a word of
 * the asset, so the word being typed (the last) matches as a prefix and so do the others ('bohem
 * rhaps'). One term goes to the index (its `_sys.terms` entry); the others are checked on the candidates.
 */
import { ValidationError } from '../errors.js';
import type { AssetDocument } from '../schemas/asset.js';
import type { StoredAssetDocument } from '../stored-asset.js';
import { wordsOf } from './normalize.js';
import { MAX_PREFIX_LENGTH, PREFIX_MARK, prefixTerm, searchFieldsOf } from './search-terms.js';

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

/** The term the index lookup uses: the longest word's, as the most selective guess; the last word wins ties. */
export function indexedTermOf(words: SearchWords): string {
  const longest = words.reduceRight((best, word) => (Math.min(word.length, MAX_PREFIX_LENGTH) > Math.min(best.length, MAX_PREFIX_LENGTH) ? word : best));
  return prefixTerm(longest);
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

export function searchTermsStoredOn(document: StoredAssetDocument): readonly string[] {
  return Object.keys(document._sys?.terms ?? {});
}

/** How many searchable fields hold the start of at least one of the words: the ranking's second key. */
export function matchingFieldCount(document: AssetDocument, words: SearchWords): number {
  let count = 0;
  for (const [, fieldWords] of searchFieldsOf(document)) {
    if (fieldWords.some((fieldWord) => words.some((word) => fieldWord.startsWith(word)))) count++;
  }
  return count;
}
