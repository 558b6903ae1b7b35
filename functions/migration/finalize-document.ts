import { Timestamp } from '@google-cloud/firestore';
import { searchTermMapOf, systemWithSearchTerms } from '../domain/search/search-terms.js';
import type { AssetDocument } from '../domain/schemas/asset.js';
import type { RawDocument } from './migration.js';

/** Search orders on createdAt as the API serves it: a legacy Timestamp as its ISO string. */
function createdAtText(value: unknown): string {
  if (value instanceof Timestamp) return value.toDate().toISOString();
  return typeof value === 'string' ? value : '';
}

/**
 * The one place where a migrated document is finalized before it is written (and where rollback
 * recomputes what the migration wrote): search terms are kept current on every write, migrations
 * included, so a migration that changes searchable text also updates `_sys.terms`.
 */
export function finalizeDocument(document: RawDocument): RawDocument {
  const terms = searchTermMapOf(document as unknown as AssetDocument, createdAtText(document['createdAt']));
  return { ...document, _sys: systemWithSearchTerms(document['_sys'] as Record<string, unknown> | undefined, terms) };
}
