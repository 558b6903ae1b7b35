/**
 * A migration: a versioned, pure transformation of stored documents. The runner streams the
 * collection, asks `selects` which documents need it, writes `up(document)` and later checks every
 * document with `verify`. Documents are plain documents (domain/plain-document.ts): the stored data
 * without loss (timestamps as `{ $ts: [seconds, nanoseconds] }`), so that a rollback can restore
 * them exactly, and with no database type, so that a migration is a pure function of its input.
 */
import { samePlainValue, type PlainDocument } from '../domain/plain-document.js';

export type { PlainDocument };

export interface Migration {
  /** Sortable version id, e.g. `2025-06-creator-description`. */
  readonly id: string;
  readonly description: string;
  /** True when the document still needs this migration; false once `up` has been applied. */
  selects(document: PlainDocument): boolean;
  /** Pure: the migrated document. Must not mutate its argument; `selects(up(d))` must be false. */
  up(document: PlainDocument): PlainDocument;
  /** Problems of a document against the post-migration schema; empty when it conforms. */
  verify(document: PlainDocument): string[];
}

/** The top-level fields that differ between `before` and `after` (added, changed or removed), sorted. */
export function changedFields(before: PlainDocument, after: PlainDocument): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((key) => !(key in after) || !(key in before) || !samePlainValue(before[key], after[key]))
    .sort();
}
