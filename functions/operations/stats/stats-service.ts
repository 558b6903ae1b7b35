/**
 * The admin statistics: album-art and variant outcomes and processing times, migration progress,
 * API traffic per route, storage bytes, how full the fullest taxonomy paths are. Reads the sharded
 * aggregates, the migration checkpoints and the sequence counters.
 */
import type { MetricName } from '../../domain/ports/metrics.js';
import { emptyHistogram, histogramRows, mergeHistogram, percentile, type Histogram } from '../metrics/histogram.js';
import { MINUTE_MS } from '../metrics/metric-buffer.js';
import type { Distribution, JobStats, MigrationStats, Stats } from './stats-schema.js';
import type { CounterSeries, StatsSource } from './stats-source.js';

const WINDOW_MINUTES = 60;
const MIGRATIONS_SHOWN = 50;

export interface StatsServiceOptions {
  /** Writes this instance's buffered metrics first, so a caller sees its own recent requests. */
  flush?: () => Promise<void>;
  now?: () => number;
}

function round(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value * 100) / 100;
}

function distributionOf(histogram: Histogram): Distribution {
  return {
    count: histogram.count,
    meanMs: histogram.count === 0 ? null : round(histogram.sum / histogram.count),
    p50Ms: round(percentile(histogram, 0.5)),
    p90Ms: round(percentile(histogram, 0.9)),
    p99Ms: round(percentile(histogram, 0.99)),
    histogram: histogramRows(histogram),
  };
}

function sumBy(series: CounterSeries[], label: string, filter: (labels: Record<string, string>) => boolean = () => true): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const { labels, value } of series) {
    if (!filter(labels)) continue;
    const key = labels[label] || '(none)';
    totals[key] = (totals[key] ?? 0) + value;
  }
  return totals;
}

/** The source gives stored times as ISO strings. */
function isoOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  return null;
}

function numberOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

export class StatsService {
  private readonly now: () => number;

  constructor(
    private readonly reader: StatsSource,
    private readonly options: StatsServiceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  async stats(): Promise<Stats> {
    await this.options.flush?.();
    const since = this.now() - WINDOW_MINUTES * MINUTE_MS;
    const [albumArt, variants, migrations, api, storage, sequences] = await Promise.all([
      this.jobStats('album_art_jobs', 'album_art_processing_ms', since),
      this.jobStats('variant_jobs', 'variant_processing_ms', since),
      this.migrations(),
      this.api(),
      this.reader.counters('storage_bytes'),
      this.reader.sequenceFill(),
    ]);
    return {
      generatedAt: new Date(this.now()).toISOString(),
      windowMinutes: WINDOW_MINUTES,
      albumArt,
      variants,
      migrations,
      api,
      storage: { buckets: Object.entries(sumBy(storage, 'bucket')).map(([bucket, bytes]) => ({ bucket, bytes })) },
      sequences,
    };
  }

  private async jobStats(counter: MetricName, distribution: MetricName, since: number): Promise<JobStats> {
    const [outcomes, timeline, histograms] = await Promise.all([
      this.reader.counters(counter),
      this.reader.timeline(counter, since),
      this.reader.histograms(distribution),
    ]);
    const merged = emptyHistogram();
    for (const { histogram } of histograms) mergeHistogram(merged, histogram);
    return {
      outcomes: sumBy(outcomes, 'outcome'),
      failuresByCode: sumBy(outcomes, 'code', (labels) => labels['outcome'] === 'failed'),
      timeline: timeline.map(({ minute, series }) => ({ minute: new Date(minute * MINUTE_MS).toISOString(), outcomes: sumBy(series, 'outcome') })),
      processing: distributionOf(merged),
    };
  }

  private async migrations(): Promise<MigrationStats[]> {
    const [checkpoints, documents] = await Promise.all([this.reader.migrationCheckpoints(MIGRATIONS_SHOWN), this.reader.counters('migration_documents')]);
    return checkpoints.map((document) => {
      const { data } = document;
      const raw = (data['counts'] ?? {}) as Record<string, unknown>;
      const counts = {
        scanned: numberOf(raw['scanned']),
        migrated: numberOf(raw['migrated']),
        skipped: numberOf(raw['skipped']),
        conflicts: numberOf(raw['conflicts']),
        errors: numberOf(raw['errors']),
      };
      const status = typeof data['status'] === 'string' ? data['status'] : 'unknown';
      const total = typeof data['total'] === 'number' ? data['total'] : null;
      const processed = counts.migrated + counts.skipped + counts.conflicts + counts.errors;
      // Without a known total, only a finished migration has a known fraction.
      const progress = total !== null && total > 0 ? Math.min(1, processed / total) : status === 'completed' || status === 'finished' ? 1 : null;
      return {
        id: document.id,
        status,
        counts,
        total,
        progress,
        operator: typeof data['operator'] === 'string' ? data['operator'] : null,
        startedAt: isoOf(data['startedAt']),
        updatedAt: isoOf(data['updatedAt']),
        finishedAt: isoOf(data['finishedAt']),
        documents: sumBy(documents, 'outcome', (labels) => labels['migration'] === document.id),
      };
    });
  }

  private async api(): Promise<Stats['api']> {
    const [requests, latency, validation] = await Promise.all([
      this.reader.counters('api_requests'),
      this.reader.histograms('api_latency_ms'),
      this.reader.counters('validation_errors'),
    ]);
    const routes = new Set([...requests, ...latency, ...validation].map(({ labels }) => labels['route'] ?? '(none)'));
    return {
      routes: [...routes].sort().map((route) => {
        const byStatus = sumBy(requests, 'status', (labels) => labels['route'] === route);
        const total = Object.values(byStatus).reduce((sum, value) => sum + value, 0);
        const clientErrors = Object.entries(byStatus)
          .filter(([status]) => status.startsWith('4'))
          .reduce((sum, [, value]) => sum + value, 0);
        const serverErrors = Object.entries(byStatus)
          .filter(([status]) => status.startsWith('5'))
          .reduce((sum, [, value]) => sum + value, 0);
        const validationErrors = Object.values(sumBy(validation, 'route', (labels) => labels['route'] === route)).reduce((sum, value) => sum + value, 0);
        const merged = emptyHistogram();
        for (const series of latency) if (series.labels['route'] === route) mergeHistogram(merged, series.histogram);
        return {
          route,
          requests: total,
          byStatus,
          clientErrors,
          serverErrors,
          errorRate: total === 0 ? 0 : serverErrors / total,
          validationErrors,
          validationErrorRate: total === 0 ? 0 : validationErrors / total,
          latency: distributionOf(merged),
        };
      }),
    };
  }
}
