import { Firestore } from '@google-cloud/firestore';
import { expect } from 'chai';
import { FirestoreMetricAggregates } from '../../functions/operations/adapters/firestore-metric-aggregates.js';
import { seriesKey } from '../../functions/operations/metrics/series-key.js';
import { createLogger } from '../../functions/platform/logger.js';
import { testFirestore } from '../support/firestore-direct.js';
import { TEST_PROJECT } from '../support/test-environment.js';

describe('metric aggregates flushing', () => {
  it('keeps the increments of a failed flush for the next one, and recording never throws', async () => {
    const client = new Firestore({ projectId: TEST_PROJECT });
    const logged: string[] = [];
    const aggregates = new FirestoreMetricAggregates(client, {
      collection: 'ops_metrics',
      shards: 2,
      flushMs: 60_000,
      logger: createLogger('WARNING', {}, (line) => logged.push(line)),
    });
    await client.terminate();
    aggregates.count('api_requests', { route: 'GET /api/health', status: '200' });
    aggregates.observe('api_latency_ms', 3, { route: 'GET /api/health' });
    const failures: unknown[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await aggregates.flush();
      } catch (error) {
        failures.push(error);
      }
    }
    // An emptied buffer would make the second flush a no-op that succeeds.
    expect(failures).to.have.length(2);
    expect(String(failures[1])).to.match(/terminated/i);
    expect((await testFirestore().collection('ops_metrics').doc('api_requests').collection('shards').get()).size).to.equal(0);
    await aggregates.close().catch((error: unknown) => expect(String(error)).to.match(/terminated/i));
  });

  it('cuts over-long label values so a flush cannot be poisoned by one', async () => {
    const aggregates = new FirestoreMetricAggregates(testFirestore(), { collection: 'ops_metrics', shards: 1, flushMs: 60_000, logger: createLogger('ERROR') });
    aggregates.count('album_art_jobs', { outcome: 'failed', code: 'X'.repeat(5000) });
    await aggregates.close();
    const shard = (await testFirestore().collection('ops_metrics').doc('album_art_jobs').collection('shards').doc('0').get()).data()!;
    expect(Object.keys(shard['counters'] as object)).to.deep.equal([seriesKey({ outcome: 'failed', code: 'X'.repeat(120) })]);
  });
});
