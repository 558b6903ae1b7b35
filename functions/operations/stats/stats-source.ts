/**
 * What the admin statistics read (the port StatsService is built on): the metric aggregates, the
 * migration checkpoints and the sequence counters. The Firestore reads are in
 * operations/adapters/firestore-stats-source.ts.
 */
import type { MetricLabels, MetricName } from '../../domain/ports/metrics.js';
import type { Histogram } from '../metrics/histogram.js';
import type { SequenceStats } from './stats-schema.js';

export interface CounterSeries {
  labels: MetricLabels;
  value: number;
}

export interface HistogramSeries {
  labels: MetricLabels;
  histogram: Histogram;
}

/** A migration checkpoint as stored, its times as ISO strings. */
export interface CheckpointRecord {
  id: string;
  data: Record<string, unknown>;
}

export interface StatsSource {
  /** Each counter series summed over its shards. */
  counters(name: MetricName): Promise<CounterSeries[]>;
  /** Each histogram series merged over its shards. */
  histograms(name: MetricName): Promise<HistogramSeries[]>;
  /** Counter series per minute since `sinceMs`, oldest first. */
  timeline(name: MetricName, sinceMs: number): Promise<Array<{ minute: number; series: CounterSeries[] }>>;
  /** Up to `limit` migration checkpoints. */
  migrationCheckpoints(limit: number): Promise<CheckpointRecord[]>;
  /** How full the taxonomy paths' sequence counters are. */
  sequenceFill(): Promise<SequenceStats>;
}
