import { searchIndexOf, systemWithSearchIndex } from '../domain/search/search-terms.js';
import type { AssetDocument } from '../domain/schemas/asset.js';
import type { PlainDocument } from './migration.js';

/**
 * The one place where a migrated document is finalized before it is written (and where rollback
 * recomputes what the migration wrote): the search index is kept current on every write,
 * migrations included, so a migration that changes searchable text also updates `_sys.search`.
 */
export function finalizeDocument(document: PlainDocument): PlainDocument {
  const tokens = searchIndexOf(document as unknown as AssetDocument);
  return { ...document, _sys: systemWithSearchIndex(document['_sys'] as Record<string, unknown> | undefined, tokens) };
}
