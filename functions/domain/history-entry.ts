/**
 * The history of an asset: one entry per write, holding the document as it was before the write
 * (docs/data-safety.md). Pure: who wrote, what changed, the size cap; no Firestore here. The
 * entry's schemas and the types derived from them (what clients read and send) are in
 * schemas/history.ts, which imports this module and which only the routes load: writers record
 * history without loading zod schemas (the cold start), and this module imports nothing back.
 */

export const HISTORY_WRITERS = ['api', 'album-art', 'variants', 'migration', 'restore', 'revert', 'delete', 'import'] as const;
export type HistoryWriter = (typeof HISTORY_WRITERS)[number];

/** Who wrote and why: every writer passes one of these to the recorder. */
export interface HistoryContext {
  writer: HistoryWriter;
  /** The caller's e-mail for API writes; null for pipelines and other machine writers. */
  actor: string | null;
}

/**
 * A before-image larger than this is not kept whole: the entry keeps the changed fields' old values
 * only (`beforeScope: 'changed-fields'`), and none at all if even those are larger. Firestore caps a
 * document at 1 MiB; the entry must fit beside its other fields with room to spare.
 */
export const HISTORY_BEFORE_CAP_BYTES = 512 * 1024;

/** Top-level fields whose values differ between two documents (compared by their encoded JSON). */
export function changedFieldsOf(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys].filter((key) => JSON.stringify(before?.[key]) !== JSON.stringify(after?.[key])).sort();
}

/** How much of the document before a write a history entry keeps. */
export type BeforeScope = 'document' | 'changed-fields' | 'omitted';

export type BoundedBefore<D> = { scope: 'document' | 'changed-fields'; image: D; encoded: string } | { scope: 'omitted' };

/**
 * The before-image a history entry keeps within HISTORY_BEFORE_CAP_BYTES: the whole document, else
 * the changed fields' old values only, else none. `encode` is the writer's stored form of an image,
 * whose size is what the cap counts; the image kept is returned encoded and as it was.
 */
export function boundedBeforeImage<D extends Record<string, unknown>>(
  before: D,
  changedFields: readonly string[],
  encode: (image: D) => string,
): BoundedBefore<D> {
  const whole = encode(before);
  if (Buffer.byteLength(whole) <= HISTORY_BEFORE_CAP_BYTES) return { scope: 'document', image: before, encoded: whole };
  const subset: Record<string, unknown> = {};
  for (const field of changedFields) if (field in before) subset[field] = before[field];
  const partial = encode(subset as D);
  if (Buffer.byteLength(partial) <= HISTORY_BEFORE_CAP_BYTES) return { scope: 'changed-fields', image: subset as D, encoded: partial };
  return { scope: 'omitted' };
}
