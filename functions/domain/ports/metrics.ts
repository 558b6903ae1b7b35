/**
 * Counters and latency distributions of the monitoring points. Each recording becomes a structured
 * log entry that log-based metrics read in production; the operations layer also keeps running
 * aggregates for the admin endpoints. Recording never throws and never blocks the caller.
 */
export const METRIC_NAMES = [
  'album_art_jobs', // counter: labels outcome (stored|failed|retried|skipped), code
  'album_art_processing_ms', // distribution
  'variant_jobs', // counter: labels outcome (ready|failed|retried|skipped), code
  'variant_processing_ms', // distribution
  'migration_documents', // counter: labels migration, outcome (migrated|skipped|conflict|error)
  'api_requests', // counter: labels route, status
  'api_latency_ms', // distribution: labels route
  'validation_errors', // counter: labels route
  'storage_bytes', // counter: labels bucket
  'sequence_fill', // distribution: the number a create or move just drew (1-999, the path's fill); labels path (L.CAT.SUB)
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

export type MetricLabels = Record<string, string>;

export interface Metrics {
  count(name: MetricName, labels?: MetricLabels, increment?: number): void;
  observe(name: MetricName, value: number, labels?: MetricLabels): void;
}
