/** The admin statistics' reads from Firestore: the sharded aggregates, the migration checkpoints and the sequence counters. */
import type { Firestore } from '@google-cloud/firestore';
import { withFirestoreErrors } from '../../adapters/firestore/firestore-errors.js';
import { fromFirestore } from '../../adapters/firestore/firestore-values.js';
import type { MetricName } from '../../domain/ports/metrics.js';
import type { SequenceStats } from '../stats/stats-schema.js';
import type { CheckpointRecord, CounterSeries, HistogramSeries, StatsSource } from '../stats/stats-source.js';
import { MetricAggregatesReader } from './metric-aggregates-reader.js';
import { sequenceFill } from './sequence-fill.js';

export interface FirestoreStatsSourceOptions {
  metricsCollection: string;
  migrationsCollection: string;
  /** The taxonomy paths' sequence counters, for how full each path is. */
  sequencesCollection: string;
  /** How long one Firestore call may take before it is a 503 (config.firestoreDeadlineMs); the adapter's default otherwise. */
  deadlineMs?: number;
}

export class FirestoreStatsSource implements StatsSource {
  private readonly reader: MetricAggregatesReader;

  constructor(
    private readonly firestore: Firestore,
    private readonly options: FirestoreStatsSourceOptions,
  ) {
    this.reader = new MetricAggregatesReader(firestore, options.metricsCollection, options.deadlineMs);
  }

  counters(name: MetricName): Promise<CounterSeries[]> {
    return this.reader.counters(name);
  }

  histograms(name: MetricName): Promise<HistogramSeries[]> {
    return this.reader.histograms(name);
  }

  timeline(name: MetricName, sinceMs: number): Promise<Array<{ minute: number; series: CounterSeries[] }>> {
    return this.reader.timeline(name, sinceMs);
  }

  async migrationCheckpoints(limit: number): Promise<CheckpointRecord[]> {
    const snapshot = await withFirestoreErrors(() => this.firestore.collection(this.options.migrationsCollection).limit(limit).get(), this.options.deadlineMs);
    return snapshot.docs.map((document) => ({ id: document.id, data: fromFirestore(document.data()) as Record<string, unknown> }));
  }

  sequenceFill(): Promise<SequenceStats> {
    return sequenceFill(this.firestore, this.options.sequencesCollection, this.options.deadlineMs);
  }
}
