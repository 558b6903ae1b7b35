/**
 * Running aggregates of the metrics in Firestore, for the admin endpoints. Recording only adds to an
 * in-memory buffer (no I/O on the caller's path); a flush writes the buffer in one batch of
 * `FieldValue.increment`s to ONE randomly chosen shard per metric, so a hot counter spreads its
 * writes over `shards` documents instead of hitting one document's sustained write limit.
 *
 * Layout (collection `ops_metrics` by default):
 *   ops_metrics/{metric}/shards/{n}            counters { seriesKey: n }, histograms { seriesKey: { count, sum, buckets } }
 *   ops_metrics/{metric}/minutes/{minute}-{n}  minute (epoch minutes), counters { seriesKey: n }, expireAt (TTL)
 *
 * Loss window: increments recorded since the last flush live only in this instance's memory. They
 * are flushed every `flushMs` (a timer, and any recording once a flush is due, since Cloud Functions
 * may throttle the CPU between requests), at the end of each event function (`flush()`), and a failed
 * flush keeps them for the next one. An instance that is shut down loses at most its last `flushMs`
 * of increments; the log-based metrics (every recording is also a log entry) lose nothing.
 */
import { FieldValue, Timestamp, type Firestore } from '@google-cloud/firestore';
import type { MetricLabels, MetricName, Metrics } from '../../domain/ports/metrics.js';
import type { Logger } from '../../platform/logger.js';
import { MetricBuffer, MINUTE_MS } from '../metrics/metric-buffer.js';
import { withFirestoreErrors } from '../../adapters/firestore/firestore-errors.js';

/** The per-minute documents are for the "over time" charts; a TTL policy on `expireAt` removes them. */
const MINUTES_KEPT_MS = 7 * 24 * 60 * MINUTE_MS;

export interface MetricAggregatesOptions {
  collection: string;
  shards: number;
  flushMs: number;
  logger: Logger;
  now?: () => number;
  /** Picks the shard of each flush (tests fix it); uniform by default. */
  random?: () => number;
  /** How long one Firestore call may take before it is a 503 (config.firestoreDeadlineMs); the adapter's default otherwise. */
  deadlineMs?: number;
}

export class FirestoreMetricAggregates implements Metrics {
  private buffer = new MetricBuffer();
  private inFlight: Promise<void> | undefined;
  private lastFlushMs: number;
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(
    private readonly firestore: Firestore,
    private readonly options: MetricAggregatesOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.lastFlushMs = this.now();
    this.timer = setInterval(() => void this.flushQuietly(), options.flushMs);
    // The timer must not keep a finished process (a script, a test) alive.
    this.timer.unref();
  }

  count(name: MetricName, labels: MetricLabels = {}, increment = 1): void {
    if (!Number.isFinite(increment)) return;
    this.buffer.count(name, labels, increment, this.now());
    this.flushIfDue();
  }

  observe(name: MetricName, value: number, labels: MetricLabels = {}): void {
    if (!Number.isFinite(value)) return;
    this.buffer.observe(name, value, labels);
    this.flushIfDue();
  }

  /** Writes everything recorded so far; resolves when it is in Firestore (or kept after a failure). */
  async flush(): Promise<void> {
    while (this.inFlight) {
      // The flush already running reports its own failure to its caller; this one only waits for it.
      await this.inFlight.catch(() => undefined);
    }
    if (this.buffer.empty) return;
    const taken = this.buffer;
    this.buffer = new MetricBuffer();
    this.lastFlushMs = this.now();
    this.inFlight = this.write(taken).catch((error: unknown) => {
      // Keep the increments: the next flush retries them, so a Firestore hiccup loses nothing.
      this.buffer.absorb(taken);
      throw error;
    });
    try {
      await this.inFlight;
    } finally {
      this.inFlight = undefined;
    }
  }

  /** Stops the timer after a last flush (scripts and tests that end). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private flushIfDue(): void {
    if (this.inFlight === undefined && this.now() - this.lastFlushMs >= this.options.flushMs) void this.flushQuietly();
  }

  private async flushQuietly(): Promise<void> {
    try {
      await this.flush();
    } catch (error) {
      // Recording never fails its caller; the increments stay buffered for the next flush.
      this.options.logger.warn('metrics flush failed; keeping the increments for the next flush', { error });
    }
  }

  private async write(buffer: MetricBuffer): Promise<void> {
    const batch = this.firestore.batch();
    const root = this.firestore.collection(this.options.collection);
    const updatedAt = FieldValue.serverTimestamp();
    const names = new Set<MetricName>([...buffer.counters.keys(), ...buffer.histograms.keys()]);
    for (const name of names) {
      const shard = String(Math.min(this.options.shards - 1, Math.floor((this.options.random ?? Math.random)() * this.options.shards)));
      const counters = incrementsOf(buffer.counters.get(name));
      const histograms: Record<string, unknown> = {};
      for (const [key, histogram] of buffer.histograms.get(name) ?? []) {
        histograms[key] = {
          count: FieldValue.increment(histogram.count),
          sum: FieldValue.increment(histogram.sum),
          buckets: Object.fromEntries(Object.entries(histogram.buckets).map(([index, count]) => [index, FieldValue.increment(count)])),
        };
      }
      batch.set(root.doc(name).collection('shards').doc(shard), { metric: name, counters, histograms, updatedAt }, { merge: true });
      for (const [minute, series] of buffer.minutes.get(name) ?? []) {
        batch.set(
          root.doc(name).collection('minutes').doc(`${minute}-${shard}`),
          { metric: name, minute, counters: incrementsOf(series), expireAt: Timestamp.fromMillis(minute * MINUTE_MS + MINUTES_KEPT_MS) },
          { merge: true },
        );
      }
    }
    await withFirestoreErrors(() => batch.commit(), this.options.deadlineMs);
  }
}

function incrementsOf(series: Map<string, number> | undefined): Record<string, FieldValue> {
  return Object.fromEntries([...(series ?? [])].map(([key, value]) => [key, FieldValue.increment(value)]));
}
