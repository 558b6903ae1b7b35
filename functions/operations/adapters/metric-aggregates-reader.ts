import type { Firestore } from '@google-cloud/firestore';
import type { MetricName } from '../../domain/ports/metrics.js';
import type { CounterSeries, HistogramSeries } from '../stats/stats-source.js';
import { emptyHistogram, mergeHistogram, type Histogram } from '../metrics/histogram.js';
import { MINUTE_MS } from '../metrics/metric-buffer.js';
import { labelsOf } from '../metrics/series-key.js';
import { withFirestoreErrors } from '../../adapters/firestore/firestore-errors.js';

interface ShardDocument {
  counters?: Record<string, number>;
  histograms?: Record<string, Histogram>;
}

/** Sums the shards that FirestoreMetricAggregates writes, per series. */
export class MetricAggregatesReader {
  constructor(
    private readonly firestore: Firestore,
    private readonly collection: string,
    /** config.firestoreDeadlineMs: how long one read may take before it is a 503. */
    private readonly deadlineMs?: number,
  ) {}

  async counters(name: MetricName): Promise<CounterSeries[]> {
    const totals = new Map<string, number>();
    for (const shard of await this.shards(name)) {
      for (const [key, value] of Object.entries(shard.counters ?? {})) totals.set(key, (totals.get(key) ?? 0) + value);
    }
    return [...totals].map(([key, value]) => ({ labels: labelsOf(key), value }));
  }

  async histograms(name: MetricName): Promise<HistogramSeries[]> {
    const merged = new Map<string, Histogram>();
    for (const shard of await this.shards(name)) {
      for (const [key, histogram] of Object.entries(shard.histograms ?? {})) {
        let into = merged.get(key);
        if (!into) merged.set(key, (into = emptyHistogram()));
        mergeHistogram(into, { count: histogram.count ?? 0, sum: histogram.sum ?? 0, buckets: histogram.buckets ?? {} });
      }
    }
    return [...merged].map(([key, histogram]) => ({ labels: labelsOf(key), histogram }));
  }

  /** Counter series per minute since `sinceMs`, oldest first. */
  async timeline(name: MetricName, sinceMs: number): Promise<Array<{ minute: number; series: CounterSeries[] }>> {
    const sinceMinute = Math.floor(sinceMs / MINUTE_MS);
    const snapshot = await withFirestoreErrors(
      () => this.firestore.collection(this.collection).doc(name).collection('minutes').where('minute', '>=', sinceMinute).get(),
      this.deadlineMs,
    );
    const perMinute = new Map<number, Map<string, number>>();
    for (const document of snapshot.docs) {
      const data = document.data() as { minute: number; counters?: Record<string, number> };
      let series = perMinute.get(data.minute);
      if (!series) perMinute.set(data.minute, (series = new Map()));
      for (const [key, value] of Object.entries(data.counters ?? {})) series.set(key, (series.get(key) ?? 0) + value);
    }
    return [...perMinute]
      .sort(([a], [b]) => a - b)
      .map(([minute, series]) => ({ minute, series: [...series].map(([key, value]) => ({ labels: labelsOf(key), value })) }));
  }

  private async shards(name: MetricName): Promise<ShardDocument[]> {
    const snapshot = await withFirestoreErrors(() => this.firestore.collection(this.collection).doc(name).collection('shards').get(), this.deadlineMs);
    return snapshot.docs.map((document) => document.data() as ShardDocument);
  }
}
