/**
 * Search backfill: every asset whose stored search terms are missing or differ from what the
 * current normalization computes gets them (re)written. Re-runnable after any change to the
 * search-term rules; it streams like every migration, so memory stays flat.
 */
import { searchTermsOf } from '../../domain/search/search-terms.js';
import type { AssetDocument } from '../../domain/schemas/asset.js';
import type { Migration, RawDocument } from '../migration.js';

function storedTerms(document: RawDocument): unknown {
  return (document['_sys'] as { searchTerms?: unknown } | undefined)?.searchTerms;
}

function currentTerms(document: RawDocument): string[] {
  return searchTermsOf(document as unknown as AssetDocument);
}

export const searchTermsMigration: Migration = {
  id: '2025-07-search-terms',
  description: 'Search backfill: write _sys.searchTerms where they are missing or stale',

  selects(document: RawDocument): boolean {
    return JSON.stringify(storedTerms(document)) !== JSON.stringify(currentTerms(document));
  },

  // finalizeDocument writes the terms; the migration itself changes nothing else.
  up(document: RawDocument): RawDocument {
    return { ...document };
  },

  verify(document: RawDocument): string[] {
    return JSON.stringify(storedTerms(document)) === JSON.stringify(currentTerms(document)) ? [] : ['_sys.searchTerms: missing or stale'];
  },
};
