import { searchTermsOf } from '../domain/search/search-terms.js';
import type { AssetDocument } from '../domain/schemas/asset.js';
import type { RawDocument } from './migration.js';

/**
 * The one place where a migrated document is finalized before it is written (and where rollback
 * recomputes what the migration wrote): search terms are kept current on every write, migrations
 * included, so a migration that changes searchable text also updates `_sys.searchTerms`.
 */
export function finalizeDocument(document: RawDocument): RawDocument {
  const system = (document['_sys'] ?? {}) as Record<string, unknown>;
  return { ...document, _sys: { ...system, searchTerms: searchTermsOf(document as unknown as AssetDocument) } };
}
