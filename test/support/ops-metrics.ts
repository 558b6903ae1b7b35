/** Recording metrics as the pipeline functions do, from the test process, into the emulator's aggregates. */
import { Timestamp } from '@google-cloud/firestore';
import { FirestoreMetricAggregates } from '../../functions/operations/adapters/firestore-metric-aggregates.js';
import { createLogger } from '../../functions/platform/logger.js';
import { testFirestore } from './firestore-direct.js';

export function testAggregates(options: { shards?: number; random?: () => number } = {}): FirestoreMetricAggregates {
  return new FirestoreMetricAggregates(testFirestore(), {
    collection: 'ops_metrics',
    shards: options.shards ?? 10,
    flushMs: 60_000,
    logger: createLogger('WARNING'),
    ...(options.random ? { random: options.random } : {}),
  });
}

export interface MigrationCounts {
  scanned: number;
  migrated: number;
  skipped: number;
  conflicts: number;
  errors: number;
}

/** A migration checkpoint in the shape the migration tool keeps in `migrations/{id}`. */
export async function seedMigrationCheckpoint(id: string, status: string, counts: MigrationCounts): Promise<Timestamp> {
  const now = Timestamp.now();
  await testFirestore()
    .collection('migrations')
    .doc(id)
    .set({
      status,
      cursor: status === 'completed' ? null : 'asset-0420',
      counts,
      operator: 'ops@example.com',
      startedAt: now,
      updatedAt: now,
      finishedAt: status === 'completed' ? now : null,
      lease: status === 'completed' ? null : { holder: 'job-1', expiresAt: now },
    });
  return now;
}
