/**
 * The importer's checkpoint `imports/{assets collection}`: the last run's state and counts, its
 * high-water mark, the last completed run (what the next `--since` starts from) and the lease that
 * keeps two runs from overlapping (the migration runner's lease, functions/adapters/firestore/firestore-checkpoint-store.ts).
 */
import { z } from 'zod';
import { leaseSchema } from '../domain/schemas/lease.js';

export const IMPORTS_COLLECTION = 'imports';

const countsSchema = z.object({
  read: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
});

export const importCheckpointSchema = z.object({
  status: z.enum(['running', 'completed', 'failed']),
  source: z.string(),
  since: z.string().nullable(),
  operator: z.string(),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Runs that took this checkpoint's lease (a run that was killed is followed by one more). */
  runs: z.number().int(),
  counts: countsSchema,
  highWaterMark: z.string().nullable(),
  lastCompleted: z.object({ source: z.string(), finishedAt: z.string(), highWaterMark: z.string().nullable(), counts: countsSchema }).nullable(),
  lease: leaseSchema.nullable(),
});

export type ImportCheckpoint = z.infer<typeof importCheckpointSchema>;
