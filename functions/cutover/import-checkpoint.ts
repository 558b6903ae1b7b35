/**
 * The importer's checkpoint `imports/{assets collection}`: the last run's state and counts, its
 * high-water mark, the last completed run (what the next `--since` starts from) and the lease that
 * keeps two runs from overlapping (the migration runner's lease, functions/adapters/firestore/firestore-checkpoint-store.ts).
 */
import { z } from 'zod';
import { leaseSchema } from '../domain/schemas/lease.js';
import { zeroImportCounts } from './import-report.js';

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

type Counts = ImportCheckpoint['counts'];

/** The checkpoint a run starts with: the run counted, its counts at zero, the last completed run (what `--since` starts from) kept. */
export function startingCheckpoint(
  previous: ImportCheckpoint | undefined,
  run: { source: string; since: string | undefined; operator: string; now: string },
): ImportCheckpoint {
  return {
    status: 'running',
    source: run.source,
    since: run.since ?? null,
    operator: run.operator,
    startedAt: run.now,
    updatedAt: run.now,
    finishedAt: null,
    runs: (previous?.runs ?? 0) + 1,
    counts: zeroImportCounts(),
    highWaterMark: null,
    lastCompleted: previous?.lastCompleted ?? null,
    lease: null,
  };
}

/** The checkpoint after a batch: its counts and high-water mark so far. */
export function progressedCheckpoint(checkpoint: ImportCheckpoint, counts: Counts, highWaterMark: string | null): ImportCheckpoint {
  return { ...checkpoint, counts: { ...counts }, highWaterMark };
}

/** The checkpoint a run ends with; a completed run becomes the last completed one, a failed run leaves that as it was. */
export function finalCheckpoint(
  checkpoint: ImportCheckpoint,
  end: { failed: boolean; finishedAt: string; counts: Counts; highWaterMark: string | null },
): ImportCheckpoint {
  const status = end.failed ? 'failed' : 'completed';
  const final: ImportCheckpoint = { ...checkpoint, status, finishedAt: end.finishedAt, counts: { ...end.counts }, highWaterMark: end.highWaterMark };
  if (status === 'completed')
    final.lastCompleted = { source: checkpoint.source, finishedAt: end.finishedAt, highWaterMark: end.highWaterMark, counts: { ...end.counts } };
  return final;
}
