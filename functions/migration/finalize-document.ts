import { timestampIsoOf } from '../domain/plain-document.js';
import { searchTermMapOf, systemWithSearchTerms } from '../domain/search/search-terms.js';
import type { AssetDocument } from '../domain/schemas/asset.js';
import type { PlainDocument } from './migration.js';

/** Search orders on createdAt as the API serves it: a legacy timestamp as its ISO string. */
function createdAtText(value: unknown): string {
  if (typeof value === 'string') return value;
  return timestampIsoOf(value) ?? '';
}

/**
 * The one place where a migrated document is finalized before it is written (and where rollback
 * recomputes what the migration wrote): search terms are kept current on every write, migrations
 * included, so a migration that changes searchable text also updates `_sys.terms`.
 */
export function finalizeDocument(document: PlainDocument): PlainDocument {
  const terms = searchTermMapOf(document as unknown as AssetDocument, createdAtText(document['createdAt']));
  return { ...document, _sys: systemWithSearchTerms(document['_sys'] as Record<string, unknown> | undefined, terms) };
}
