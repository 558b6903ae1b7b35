/** Recording metrics as the pipeline functions do, from the test process, into the emulator's aggregates. */
import { FirestoreMetricAggregates } from '../../functions/operations/metrics/firestore-metric-aggregates.js';
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
