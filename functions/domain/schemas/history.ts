/** The history routes' schemas: an entry as clients read it, a page of them, the query and the revert request. */
import { z } from 'zod';
import { HISTORY_WRITERS } from '../history-entry.js';
import { cursorPageQuerySchema } from './common.js';

/** What a client reads for one entry: the before-image decoded to plain JSON (Timestamps as ISO text). */
const historyEntrySchema = z
  .object({
    version: z.string().meta({ description: 'The entry id; POST /api/assets/:id/revert with it restores `before`' }),
    at: z.string(),
    writer: z.enum(HISTORY_WRITERS),
    actor: z.string().nullable(),
    changedFields: z.array(z.string()),
    migrationId: z.string().optional(),
    beforeScope: z.enum(['document', 'changed-fields', 'omitted']).meta({
      description:
        'document: the whole asset before the write; changed-fields: only those (it was too large); omitted: too large to keep; absent `before`: a create',
    }),
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
  .object({
    version: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9_-]+$/, 'is not a history version'),
  })
  .meta({ id: 'RevertRequest' });
