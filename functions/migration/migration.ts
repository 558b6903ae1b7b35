/**
 * A migration: a versioned, pure transformation of stored documents. The runner streams the
 * collection, asks `selects` which documents need it, writes `up(document)` and later checks every
 * document with `verify`. Documents are the raw stored data (Firestore Timestamps included), so that
 * a rollback can restore them exactly.
 */
export type RawDocument = Record<string, unknown>;

export interface Migration {
  /** Sortable version id, e.g. `2025-06-creator-description`. */
  readonly id: string;
  readonly description: string;
  /** True when the document still needs this migration; false once `up` has been applied. */
  selects(document: RawDocument): boolean;
  /** Pure: the migrated document. Must not mutate its argument; `selects(up(d))` must be false. */
  up(document: RawDocument): RawDocument;
  /** Problems of a document against the post-migration schema; empty when it conforms. */
  verify(document: RawDocument): string[];
}
