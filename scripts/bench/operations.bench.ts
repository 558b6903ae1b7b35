/**
 * What observability costs the code it observes: recording a metric (in memory, no I/O), flushing
 * a full buffer of every monitoring point to sharded Firestore documents, reading a cached flag,
 * and computing the admin statistics, all against the Firestore emulator.
 */
import { Firestore } from '@google-cloud/firestore';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FirestoreFeatureFlags } from '../../functions/operations/adapters/firestore-feature-flags.js';
import { FanOutMetrics } from '../../functions/operations/metrics/fan-out-metrics.js';
import { FirestoreMetricAggregates } from '../../functions/operations/adapters/firestore-metric-aggregates.js';
import { FirestoreStatsSource } from '../../functions/operations/adapters/firestore-stats-source.js';
import { StatsService } from '../../functions/operations/stats/stats-service.js';
import { LogMetrics } from '../../functions/platform/log-metrics.js';
import { createLogger } from '../../functions/platform/logger.js';
import { startEmulators } from '../lib/emulators.js';
import { percentile, writeResult, type BenchResult } from './bench-report.js';
import { BENCH_PROJECT } from './bench-stack.js';

const RECORDINGS = 200_000;
const FLUSHES = 50;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export async function runOperationsBench(): Promise<BenchResult> {
  const emulators = await startEmulators(path.join(mkdtempSync(path.join(os.tmpdir(), 'nna-bench-ops-')), 'logs'));
  process.env['FIRESTORE_EMULATOR_HOST'] = emulators.firestore.host;
  const firestore = new Firestore({ projectId: BENCH_PROJECT });
  const quiet = createLogger('ERROR');
  try {
    const aggregates = new FirestoreMetricAggregates(firestore, { collection: 'ops_metrics', shards: 10, flushMs: 3_600_000, logger: quiet });
    // The production path: a log entry (written to a discarding sink here) and the in-memory aggregate.
    const metrics = new FanOutMetrics(new LogMetrics(createLogger('INFO', {}, () => undefined)), aggregates);
    const routes = ['GET /api/assets', 'GET /api/assets/:id', 'POST /api/assets', 'PUT /api/assets/:id', 'GET /api/health'];
    const recordStarted = process.hrtime.bigint();
    for (let index = 0; index < RECORDINGS; index++) {
      const route = routes[index % routes.length]!;
      metrics.count('api_requests', { route, status: index % 17 === 0 ? '400' : '200' });
      metrics.observe('api_latency_ms', (index % 500) + 0.5, { route });
    }
    const perRecordingUs = Number(process.hrtime.bigint() - recordStarted) / 1e3 / (RECORDINGS * 2);
    await aggregates.flush();

    const flushTimes: number[] = [];
    for (let round = 0; round < FLUSHES; round++) {
      for (const route of routes) {
        metrics.count('api_requests', { route, status: '200' });
        metrics.observe('api_latency_ms', 12, { route });
        metrics.count('validation_errors', { route });
      }
      metrics.count('album_art_jobs', { outcome: 'stored', code: '' });
      metrics.count('album_art_jobs', { outcome: 'failed', code: 'FETCH_TIMEOUT' });
      metrics.observe('album_art_processing_ms', 800);
      metrics.count('variant_jobs', { outcome: 'ready', code: '' });
      metrics.observe('variant_processing_ms', 300);
      metrics.count('migration_documents', { migration: 'bench', outcome: 'migrated' }, 50);
      metrics.count('storage_bytes', { bucket: 'bench' }, 123_456);
      flushTimes.push(await timed(() => aggregates.flush()));
    }
    flushTimes.sort((a, b) => a - b);
    await aggregates.close();

    const flags = new FirestoreFeatureFlags(firestore, { document: 'config/flags', cacheTtlMs: 10_000, envOverrides: {}, logger: quiet });
    await flags.isEnabled('CREATOR_DESCRIPTION');
    const flagStarted = process.hrtime.bigint();
    for (let index = 0; index < 100_000; index++) await flags.isEnabled('CREATOR_DESCRIPTION');
    const cachedFlagUs = Number(process.hrtime.bigint() - flagStarted) / 1e3 / 100_000;

    const stats = new StatsService(
      new FirestoreStatsSource(firestore, { metricsCollection: 'ops_metrics', migrationsCollection: 'migrations', sequencesCollection: 'assets_sequences' }),
    );
    await stats.stats();
    const statsTimes: number[] = [];
    for (let round = 0; round < 20; round++) statsTimes.push(await timed(() => stats.stats()));
    statsTimes.sort((a, b) => a - b);

    return writeResult('operations', 'operations metrics', `Metric recording (${RECORDINGS * 2} recordings: log entry to a discarding sink + in-memory aggregate), ${FLUSHES} flushes of every monitoring point to 10 shards, cached flag reads, and the admin statistics, against the Firestore emulator.`, [
      { name: 'metric recording (log entry + buffer), per call', value: perRecordingUs, unit: 'µs', goal: { comparison: '<=', target: 20 } },
      { name: 'flush of all 9 metrics, p50', value: percentile(flushTimes, 0.5), unit: 'ms', note: 'off the request path' },
      { name: 'flush of all 9 metrics, p99', value: percentile(flushTimes, 0.99), unit: 'ms' },
      { name: 'cached flag read, per call', value: cachedFlagUs, unit: 'µs', goal: { comparison: '<=', target: 5 } },
      { name: 'GET /api/admin/stats computation, p50', value: percentile(statsTimes, 0.5), unit: 'ms' },
    ]);
  } finally {
    await firestore.terminate();
    await emulators.stop();
  }
}
