/**
 * Latency distributions with fixed buckets: every instance adds counts to the same buckets, so
 * shards and instances sum, and percentiles come from the merged counts. The bounds are the
 * explicit buckets of the log-based distribution metrics in infra/monitoring-metrics.tf.
 */
export const LATENCY_BUCKET_BOUNDS_MS: readonly number[] = Object.freeze([
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 60_000, 120_000, 300_000,
]);

/** Counts per bucket index (`0..bounds.length`, the last one open-ended), total count and sum. */
export interface Histogram {
  count: number;
  sum: number;
  buckets: Record<string, number>;
}

export function emptyHistogram(): Histogram {
  return { count: 0, sum: 0, buckets: {} };
}

/** Index of the bucket holding `value`: the first whose upper bound is at least the value. */
export function bucketIndex(value: number): number {
  const index = LATENCY_BUCKET_BOUNDS_MS.findIndex((bound) => value <= bound);
  return index === -1 ? LATENCY_BUCKET_BOUNDS_MS.length : index;
}

export function addObservation(histogram: Histogram, value: number): void {
  const index = String(bucketIndex(value));
  histogram.count += 1;
  histogram.sum += value;
  histogram.buckets[index] = (histogram.buckets[index] ?? 0) + 1;
}

export function mergeHistogram(into: Histogram, from: Histogram): void {
  into.count += from.count;
  into.sum += from.sum;
  for (const [index, count] of Object.entries(from.buckets)) into.buckets[index] = (into.buckets[index] ?? 0) + count;
}

/**
 * The p-quantile (0 < p ≤ 1), interpolated linearly inside the bucket that holds it; the open-ended
 * last bucket reports its lower bound. Undefined when nothing was observed.
 */
export function percentile(histogram: Histogram, p: number): number | undefined {
  if (histogram.count === 0) return undefined;
  const rank = p * histogram.count;
  let seen = 0;
  for (let index = 0; index <= LATENCY_BUCKET_BOUNDS_MS.length; index++) {
    const inBucket = histogram.buckets[String(index)] ?? 0;
    if (inBucket > 0 && seen + inBucket >= rank) {
      const lower = index === 0 ? 0 : LATENCY_BUCKET_BOUNDS_MS[index - 1]!;
      const upper = LATENCY_BUCKET_BOUNDS_MS[index];
      if (upper === undefined) return lower;
      return lower + ((rank - seen) / inBucket) * (upper - lower);
    }
    seen += inBucket;
  }
  return LATENCY_BUCKET_BOUNDS_MS[LATENCY_BUCKET_BOUNDS_MS.length - 1];
}

/** The buckets as chart rows: `le` is the upper bound (null for the open-ended bucket). */
export function histogramRows(histogram: Histogram): Array<{ le: number | null; count: number }> {
  const rows: Array<{ le: number | null; count: number }> = [];
  for (let index = 0; index <= LATENCY_BUCKET_BOUNDS_MS.length; index++) {
    rows.push({ le: LATENCY_BUCKET_BOUNDS_MS[index] ?? null, count: histogram.buckets[String(index)] ?? 0 });
  }
  return rows;
}
