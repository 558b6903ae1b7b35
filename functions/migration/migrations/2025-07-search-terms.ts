/**
 * Search backfill: every asset whose stored search terms are missing or differ from what the
 * current normalization computes (including documents still holding the earlier `_sys.searchTerms`
 * array) gets them (re)written. Re-runnable after any change to the search-term rules; it streams
 * like every migration, so memory stays flat.
 */
import { samePlainValue } from '../../domain/plain-document.js';
import { finalizeDocument } from '../finalize-document.js';
import type { Migration, PlainDocument } from '../migration.js';

function upToDate(document: PlainDocument): boolean {
  return samePlainValue(document['_sys'], finalizeDocument(document)['_sys']);
}

export const searchTermsMigration: Migration = {
  id: '2025-07-search-terms',
  description: 'Search backfill: write _sys.terms where they are missing or stale',

  selects(document: PlainDocument): boolean {
    return !upToDate(document);
  },

  // finalizeDocument writes the terms; the migration itself changes nothing else.
  up(document: PlainDocument): PlainDocument {
    return { ...document };
  },

  verify(document: PlainDocument): string[] {
    return upToDate(document) ? [] : ['_sys.terms: missing or stale'];
  },
};
