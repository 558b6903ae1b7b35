/**
 * The search terms kept on each asset: every prefix of every word of the searchable fields, marked
 * with a trailing `*` (`b*`, `bo*`, ... `bohemian*`). Prefixes stop at MAX_PREFIX_LENGTH; longer
 * words are also kept whole, unmarked, to check longer search words. They are stored as the map
 * `_sys.terms` (term -> the asset's createdAt), so that ordering on one term's field finds the
 * assets holding it newest first from Firestore's automatic single-field index of that map entry:
 * no composite index per term, and a cost that follows the documents read, not the collection.
 * Computed on every write; the migration and backfill call the same functions.
 */
import type { AssetDocument } from '../schemas/asset.js';
import type { StoredAssetDocument } from '../stored-asset.js';
import { wordsOf } from './normalize.js';

/** Prefixes longer than this are not stored; a longer last query word is checked in memory. */
export const MAX_PREFIX_LENGTH = 15;
/** Bound on terms per document (each term is an index entry in every index that holds the field). */
export const MAX_TERMS_PER_DOCUMENT = 600;
export const PREFIX_MARK = '*';

export type SearchField = 'name' | 'songName' | 'artistName' | 'albumName' | 'tags' | 'description' | 'creatorDescription';

/** The searchable fields in priority order: when the cap is reached, later fields lose prefixes first. */
export function searchFieldsOf(document: AssetDocument): Array<[SearchField, string[]]> {
  const song = document.extractedSongData ?? {};
  const texts: Array<[SearchField, string | undefined]> = [
    ['name', document.name],
    ['songName', song.songName],
    ['artistName', song.artistName],
    ['albumName', song.albumName],
    ['tags', (document.tags ?? []).join(' ')],
    ['description', document.description],
    ['creatorDescription', document.creatorDescription],
  ];
  return texts.map(([field, text]) => [field, typeof text === 'string' ? wordsOf(text) : []]);
}

export function prefixTerm(prefix: string): string {
  return `${prefix.slice(0, MAX_PREFIX_LENGTH)}${PREFIX_MARK}`;
}

/** The term that finds the whole word: its longest stored prefix, and the word itself when longer. */
function fullTermsOf(word: string): string[] {
  return word.length > MAX_PREFIX_LENGTH ? [prefixTerm(word), word] : [prefixTerm(word)];
}

/**
 * Every word's full term first (so that a whole word typed is always found), then the shorter
 * prefixes field by field, until the cap.
 */
function collectTerms(document: AssetDocument): Set<string> {
  const fields = searchFieldsOf(document);
  const terms = new Set<string>();
  const add = (term: string): boolean => {
    if (terms.size >= MAX_TERMS_PER_DOCUMENT && !terms.has(term)) return false;
    terms.add(term);
    return true;
  };
  const fill = (): void => {
    for (const [, words] of fields) for (const word of words) for (const term of fullTermsOf(word)) if (!add(term)) return;
    for (const [, words] of fields) {
      for (const word of words) {
        for (let length = 1; length < Math.min(word.length, MAX_PREFIX_LENGTH); length++) if (!add(prefixTerm(word.slice(0, length)))) return;
      }
    }
  };
  fill();
  return terms;
}

/** The document's search terms, sorted so that equal documents give equal arrays. */
export function searchTermsOf(document: AssetDocument): string[] {
  return [...collectTerms(document)].sort();
}

/** `_sys.terms`: each term of the document mapped to the value search orders on (its createdAt). */
export type SearchTermMap = Record<string, string>;

/** `createdAt` as an ISO string (a legacy Timestamp is converted by the caller, which knows the SDK). */
export function searchTermMapOf(document: AssetDocument, createdAt: string = document.createdAt): SearchTermMap {
  const order = typeof createdAt === 'string' ? createdAt : '';
  // WHY no sort: Firestore stores a map's keys in its own order, and a migration computes this for
  // every asset on the CLI's one thread (sorting and Object.fromEntries cost a third of it).
  const map: SearchTermMap = {};
  for (const term of collectTerms(document)) map[term] = order;
  return map;
}

/**
 * The `_sys` of a document with its search terms recomputed; the array `searchTerms` of the
 * earlier design is dropped (its index entries go with it).
 */
export function systemWithSearchTerms(system: Record<string, unknown> | undefined, terms: SearchTermMap): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...system };
  delete rest['searchTerms'];
  return { ...rest, terms };
}

/** The document with its search terms recomputed, everything else unchanged. */
export function withSearchTerms(document: StoredAssetDocument): StoredAssetDocument {
  return {
    ...document,
    _sys: systemWithSearchTerms(document._sys as Record<string, unknown> | undefined, searchTermMapOf(document)) as unknown as StoredAssetDocument['_sys'],
  };
}
