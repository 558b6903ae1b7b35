/**
 * Progress of a migration, one document per migration in the `migrations` collection
 * (`migrations/{id}`): status, cursor (last document id of the fully committed prefix), counts,
 * first errors, operator, times, backup target and the lease. The admin statistics read it.
 */
import { z } from 'zod';
import { leaseSchema } from '../domain/schemas/lease.js';

const countsSchema = z.object({
  scanned: z.number().int(),
  migrated: z.number().int(),
  skipped: z.number().int(),
  conflicts: z.number().int(),
  errors: z.number().int(),
});

export const checkpointSchema = z.object({
  migrationId: z.string(),
  command: z.enum(['apply', 'rollback']),
  status: z.enum(['running', 'stopped', 'completed', 'failed', 'rolled-back', 'rollback-incomplete']),
  /** Set when an apply starts afresh; backups of earlier generations are ignored by rollback. */
  generation: z.string(),
  cursor: z.string().nullable(),
  counts: countsSchema,
  errors: z.array(z.object({ id: z.string(), message: z.string() })),
  operator: z.string(),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  batchSize: z.number().int(),
  backup: z.discriminatedUnion('kind', [z.object({ kind: z.literal('history'), path: z.string() }), z.object({ kind: z.literal('file'), path: z.string() })]),
  /** Runs that started or resumed this migration (a resumed run keeps startedAt). */
  runs: z.number().int(),
  lease: leaseSchema.nullable(),
});

export type Counts = z.infer<typeof countsSchema>;
export type Checkpoint = z.infer<typeof checkpointSchema>;

export const MAX_RECORDED_ERRORS = 50;

export function zeroCounts(): Counts {
  return { scanned: 0, migrated: 0, skipped: 0, conflicts: 0, errors: 0 };
}

export function addCounts(into: Counts, more: Counts): void {
  into.scanned += more.scanned;
  into.migrated += more.migrated;
  into.skipped += more.skipped;
  into.conflicts += more.conflicts;
  into.errors += more.errors;
}

/**
 * Where a migration's checkpoint is kept, for the checkpoint store: in the configured migrations
 * collection (MIGRATIONS_COLLECTION), where the status page reads it.
 */
export function migrationCheckpointLocation(migrationId: string, collection: string): { collection: string; schema: typeof checkpointSchema; label: string } {
  return { collection, schema: checkpointSchema, label: `Migration ${migrationId}` };
}
