/**
 * Search index build: every asset whose `_sys.search` is missing or differs from what the current
 * rules compute (documents of the earlier designs hold the `_sys.terms` map or the
 * `_sys.searchTerms` array instead, which search no longer reads) gets it (re)written, and the
 * earlier fields removed. Re-runnable after any change to the search-index rules; it streams like
 * every migration, so memory stays flat, and rollback restores each document's before-image.
 */
import { samePlainValue } from '../../domain/plain-document.js';
import { finalizeDocument } from '../finalize-document.js';
import type { Migration, PlainDocument } from '../migration.js';

function upToDate(document: PlainDocument): boolean {
  return samePlainValue(document['_sys'], finalizeDocument(document)['_sys']);
}

/** Selects documents whose index is stale; finalizeDocument (run on every migrated write) rebuilds it. */
export function searchIndexBuild(id: string, description: string): Migration {
  return {
    id,
    description,
    selects: (document) => !upToDate(document),
    up: (document) => ({ ...document }),
    verify: (document) => (upToDate(document) ? [] : ['_sys.search: missing or stale']),
  };
}

export const searchIndexMigration = searchIndexBuild(
  '2026-12-search-index',
  'Search index: write _sys.search (one token per term and best field) where missing or stale',
);
