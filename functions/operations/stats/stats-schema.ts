import { z } from 'zod';

const distribution = z.object({
  count: z.number(),
  meanMs: z.number().nullable(),
  p50Ms: z.number().nullable(),
  p90Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  histogram: z.array(z.object({ le: z.number().nullable(), count: z.number() })),
});

const jobStats = z.object({
  outcomes: z.record(z.string(), z.number()),
  failuresByCode: z.record(z.string(), z.number()),
  timeline: z.array(z.object({ minute: z.string(), outcomes: z.record(z.string(), z.number()) })),
  processing: distribution,
});

const migrationCounts = z.object({ scanned: z.number(), migrated: z.number(), skipped: z.number(), conflicts: z.number(), errors: z.number() });

const sequencePath = z.object({
  path: z.string().meta({ description: 'L.CAT.SUB' }),
  last: z.number().meta({ description: 'The last sequence number the path gave out' }),
  fill: z.number().meta({ description: 'last / capacity' }),
  nearlyFull: z.boolean().meta({ description: 'last >= nearlyFullAt' }),
  full: z.boolean().meta({ description: 'no number is left: the next create there is refused (409)' }),
});

const sequenceStats = z.object({
  capacity: z.number().meta({ description: 'Numbers a path has (001-999)' }),
  nearlyFullAt: z.number(),
  fullest: z.array(sequencePath).meta({ description: 'The fullest paths, fullest first; every nearly full path when more are' }),
});

/** `GET /api/admin/stats`: the monitoring points as running aggregates. */
export const statsSchema = z
  .object({
    generatedAt: z.string(),
    windowMinutes: z.number(),
    albumArt: jobStats,
    variants: jobStats,
    migrations: z.array(
      z.object({
        id: z.string(),
        status: z.string(),
        counts: migrationCounts,
        total: z.number().nullable(),
        progress: z.number().nullable(),
        operator: z.string().nullable(),
        startedAt: z.string().nullable(),
        updatedAt: z.string().nullable(),
        finishedAt: z.string().nullable(),
        documents: z.record(z.string(), z.number()),
      }),
    ),
    api: z.object({
      routes: z.array(
        z.object({
          route: z.string(),
          requests: z.number(),
          byStatus: z.record(z.string(), z.number()),
          clientErrors: z.number(),
          serverErrors: z.number(),
          errorRate: z.number(),
          validationErrors: z.number(),
          validationErrorRate: z.number(),
          latency: distribution,
        }),
      ),
    }),
    storage: z.object({ buckets: z.array(z.object({ bucket: z.string(), bytes: z.number() })) }),
    sequences: sequenceStats,
  })
  .meta({ id: 'Stats' });

export type Stats = z.infer<typeof statsSchema>;
export type Distribution = z.infer<typeof distribution>;
export type JobStats = z.infer<typeof jobStats>;
export type MigrationStats = Stats['migrations'][number];
export type SequenceStats = z.infer<typeof sequenceStats>;
