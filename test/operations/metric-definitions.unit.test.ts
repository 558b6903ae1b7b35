import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { METRIC_NAMES } from '../../functions/domain/ports/metrics.js';
import { LATENCY_BUCKET_BOUNDS_MS } from '../../functions/operations/metrics/histogram.js';
import { NEARLY_FULL_SEQUENCE } from '../../functions/operations/adapters/sequence-fill.js';
import { MAX_SEQUENCE } from '../../functions/domain/naming.js';
import { PROJECT_ROOT } from '../support/test-environment.js';

describe('log-based metric definitions in infra/', () => {
  const terraform = readFileSync(path.join(PROJECT_ROOT, 'infra/monitoring-metrics.tf'), 'utf8');

  it('define exactly the metric names of the Metrics port', () => {
    const names = [...METRIC_NAMES];
    const defined = [...terraform.matchAll(/^\s*name\s*=\s*"([a-z_]+)"/gm)].map((match) => match[1]);
    expect(names.length).to.be.greaterThan(5);
    expect(defined).to.have.members(names);
  });

  it('alert on taxonomy paths at the fill the status page calls nearly full, with a bucket bound there', () => {
    const nearlyFull = Number(/sequence_nearly_full\s*=\s*(\d+)/.exec(terraform)![1]);
    expect(nearlyFull).to.equal(NEARLY_FULL_SEQUENCE);
    const bounds = /sequence_bucket_bounds\s*=\s*\[([^\]]+)\]/
      .exec(terraform)![1]!
      .split(',')
      .map((value) => Number(value.trim()));
    expect(bounds).to.include(NEARLY_FULL_SEQUENCE).and.include(MAX_SEQUENCE);
    const alerts = readFileSync(path.join(PROJECT_ROOT, 'infra/monitoring-alerts.tf'), 'utf8');
    expect(alerts).to.match(/sequence_fill[\s\S]*threshold_value\s*=\s*local\.sequence_nearly_full - 0\.5/);
  });

  it('use the same latency buckets as the Firestore aggregates', () => {
    const bounds = /latency_bucket_bounds_ms\s*=\s*\[([^\]]+)\]/
      .exec(terraform)![1]!
      .split(',')
      .map((value) => Number(value.trim()));
    expect(bounds).to.deep.equal([...LATENCY_BUCKET_BOUNDS_MS]);
  });
});
