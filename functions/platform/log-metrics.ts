import type { MetricLabels, MetricName, Metrics } from '../domain/ports/metrics.js';
import type { Logger } from './logger.js';

/** Metrics as structured log entries (`metric`, `kind`, `value`, `metricLabels`), read by log-based metrics. */
export class LogMetrics implements Metrics {
  constructor(private readonly logger: Logger) {}

  count(name: MetricName, labels: MetricLabels = {}, increment = 1): void {
    this.logger.info(`metric ${name}`, { metric: name, kind: 'counter', value: increment, metricLabels: labels });
  }

  observe(name: MetricName, value: number, labels: MetricLabels = {}): void {
    this.logger.info(`metric ${name}`, { metric: name, kind: 'distribution', value, metricLabels: labels });
  }
}
