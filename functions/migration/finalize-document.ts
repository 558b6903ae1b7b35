import type { RawDocument } from './migration.js';

/**
 * The one place where a migrated document is finalized before it is written (and where rollback
 * recomputes what the migration wrote). Identity for now: the search-terms work (issue 3) wires
 * `_sys.searchTerms = searchTermsOf(document)` in here at merge time, because search terms are
 * "updated on every write, migration included".
 */
export function finalizeDocument(document: RawDocument): RawDocument {
  return document;
}
