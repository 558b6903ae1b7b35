/**
 * The history of an asset: one entry per write, holding the document as it was before the write
 * (COORDINATION decision 3). Pure: what changed, the entry's shape, the size cap; no Firestore here.
 */
import { z } from 'zod';
import { cursorPageQuerySchema } from './schemas/common.js';

export const HISTORY_WRITERS = ['api', 'album-art', 'variants', 'migration', 'restore', 'revert', 'delete'] as const;
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

/** What a client reads for one entry: the before-image decoded to plain JSON (Timestamps as ISO text). */
export const historyEntrySchema = z
  .object({
    version: z.string().meta({ description: 'The entry id; POST /api/assets/:id/revert with it restores `before`' }),
    at: z.string(),
    writer: z.enum(HISTORY_WRITERS),
    actor: z.string().nullable(),
    changedFields: z.array(z.string()),
    migrationId: z.string().optional(),
    beforeScope: z
      .enum(['document', 'changed-fields', 'omitted'])
      .meta({ description: 'document: the whole asset before the write; changed-fields: only those (it was too large); omitted: too large to keep; absent `before`: a create' }),
    before: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'HistoryEntry' });
export type HistoryEntryView = z.infer<typeof historyEntrySchema>;

export const historyPageSchema = z
  .object({
    items: z.array(historyEntrySchema),
    nextCursor: z.string().optional().meta({ description: 'Present when older entries follow: pass it as `cursor`' }),
  })
  .meta({ id: 'HistoryPage' });

export const historyQuerySchema = cursorPageQuerySchema('HistoryQuery');
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export const revertRequestSchema = z
  .object({ version: z.string().min(1).max(200).regex(/^[A-Za-z0-9_-]+$/, 'is not a history version') })
  .meta({ id: 'RevertRequest' });
