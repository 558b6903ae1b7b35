import type { Firestore } from '@google-cloud/firestore';
import type { Metrics } from '../../domain/ports/metrics.js';
import type { Config } from '../../platform/config.js';
import { LogMetrics } from '../../platform/log-metrics.js';
import type { Logger } from '../../platform/logger.js';
import { FanOutMetrics } from '../metrics/fan-out-metrics.js';
import { FirestoreMetricAggregates } from './firestore-metric-aggregates.js';

export interface ProcessMetrics {
  metrics: Metrics;
  /** Writes the buffered aggregates now: at the end of an event function, and before stats are read. */
  flush(): Promise<void>;
  /** Stops the flush timer after a last flush: for a process that ends (a script, an in-process test API). */
  close(): Promise<void>;
}

/** The process's metrics: log entries always, Firestore aggregates unless METRICS_AGGREGATES=false. */
export function createMetrics(config: Config, logger: Logger, firestore: Firestore): ProcessMetrics {
  const logMetrics = new LogMetrics(logger);
  if (!config.metrics.aggregates) return { metrics: logMetrics, flush: async () => undefined, close: async () => undefined };
  const aggregates = new FirestoreMetricAggregates(firestore, { ...config.metrics, logger, deadlineMs: config.firestoreDeadlineMs });
  return { metrics: new FanOutMetrics(logMetrics, aggregates), flush: () => aggregates.flush(), close: () => aggregates.close() };
}
