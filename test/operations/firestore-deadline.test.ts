import { expect } from 'chai';
import net from 'node:net';
import { Firestore } from '@google-cloud/firestore';
import { ServiceUnavailableError } from '../../functions/domain/errors.js';
import { FirestoreFeatureFlags } from '../../functions/operations/adapters/firestore-feature-flags.js';
import { FirestoreMetricAggregates } from '../../functions/operations/adapters/firestore-metric-aggregates.js';
import { FirestoreStatsSource } from '../../functions/operations/adapters/firestore-stats-source.js';
import { StatsService } from '../../functions/operations/stats/stats-service.js';
import { createLogger } from '../../functions/platform/logger.js';

/**
 * A database that accepts connections and never answers: without a deadline each call would wait
 * for the client's own retries (a minute and more); with config.firestoreDeadlineMs it is a 503 soon.
 */
describe('the Firestore deadline reaches the flags, metrics and stats adapters', function () {
  this.timeout(10_000);
  const DEADLINE_MS = 300;
  let silent: net.Server;
  let firestore: Firestore;
  const sockets = new Set<net.Socket>();
  const logger = createLogger('CRITICAL', {}, () => undefined);

  // The client prefers FIRESTORE_EMULATOR_HOST (set by the root hooks) over its host setting, and
  // reads it when it first connects: it stays unset while these tests talk to the silent server.
  let emulatorHost: string | undefined;
  before(async () => {
    emulatorHost = process.env['FIRESTORE_EMULATOR_HOST'];
    delete process.env['FIRESTORE_EMULATOR_HOST'];
    silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    firestore = new Firestore({ projectId: 'nna-deadline', host: `127.0.0.1:${(silent.address() as net.AddressInfo).port}`, ssl: false });
  });
  after(() => {
    if (emulatorHost !== undefined) process.env['FIRESTORE_EMULATOR_HOST'] = emulatorHost;
    for (const socket of sockets) socket.destroy();
    silent.close();
    // Not awaited: calls still pending against the silent server keep terminate() waiting for them.
    firestore.terminate().catch((error: unknown) => console.warn('terminating the deadline test client failed', error));
  });

  async function expectUnavailableWithin(operation: Promise<unknown>, withinMs: number): Promise<void> {
    const started = Date.now();
    const outcome = await operation.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(outcome).to.be.instanceOf(ServiceUnavailableError);
    expect(Date.now() - started).to.be.lessThan(withinMs);
  }

  it('flags: the audit trail read', async () => {
    const flags = new FirestoreFeatureFlags(firestore, { document: 'config/flags', cacheTtlMs: 1000, envOverrides: {}, logger, deadlineMs: DEADLINE_MS });
    await expectUnavailableWithin(flags.auditTrail(5), 3000);
  });

  it('metrics: the aggregates flush', async () => {
    const aggregates = new FirestoreMetricAggregates(firestore, { collection: 'metrics', shards: 2, flushMs: 60_000, logger, deadlineMs: DEADLINE_MS });
    aggregates.count('api_requests', { route: 'x', status: '200' });
    await expectUnavailableWithin(aggregates.flush(), 3000);
  });

  it('stats: the admin statistics read', async () => {
    const stats = new StatsService(
      new FirestoreStatsSource(firestore, {
        metricsCollection: 'metrics',
        migrationsCollection: 'migrations',
        sequencesCollection: 'assets_sequences',
        deadlineMs: DEADLINE_MS,
      }),
    );
    await expectUnavailableWithin(stats.stats(), 3000);
  });
});
