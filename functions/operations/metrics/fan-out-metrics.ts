import type { MetricLabels, MetricName, Metrics } from '../../domain/ports/metrics.js';

/** Every recording goes to each target: the log entry for log-based metrics and the aggregates. */
export class FanOutMetrics implements Metrics {
  private readonly targets: readonly Metrics[];

  constructor(...targets: Metrics[]) {
    this.targets = targets;
  }

  count(name: MetricName, labels?: MetricLabels, increment?: number): void {
    for (const target of this.targets) target.count(name, labels, increment);
  }

  observe(name: MetricName, value: number, labels?: MetricLabels): void {
    for (const target of this.targets) target.observe(name, value, labels);
  }
}
