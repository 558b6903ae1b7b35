import { expect } from 'chai';
import type { Readiness } from '../../functions/operations/health/readiness.js';
import { useApi } from '../support/api-server.js';
import { call } from '../support/http-client.js';

describe('GET /api/health and /api/health/ready', function () {
  // Generous timeouts: the first probe loads the Pub/Sub client, and the test machine is shared.
  const api = useApi({ READINESS_TIMEOUT_MS: '20000' });
  // Nothing listens on port 1: the Pub/Sub dependency is down for this server. Its own process,
  // because the Pub/Sub client reads PUBSUB_EMULATOR_HOST from process.env.
  const broken = useApi({ PUBSUB_EMULATOR_HOST: '127.0.0.1:1', READINESS_TIMEOUT_MS: '8000' }, { process: true });

  it('liveness answers without touching a dependency', async () => {
    const reply = await call(broken.url, 'GET', '/api/health');
    expect(reply.status).to.equal(200);
    expect((reply.body.data as { status: string }).status).to.equal('ok');
  });

  it('readiness reports each dependency as up, with its latency', async () => {
    const reply = await call(api.url, 'GET', '/api/health/ready');
    expect(reply.status, reply.text).to.equal(200);
    const report = reply.body.data as Readiness;
    expect(report.status).to.equal('ready');
    expect(report.dependencies.map((dependency) => dependency.name)).to.have.members(['firestore', 'blobStore', 'pubsub']);
    for (const dependency of report.dependencies) {
      expect(dependency.status, dependency.name).to.equal('up');
      expect(dependency.latencyMs).to.be.a('number').and.at.least(0);
    }
  });

  it('is 503 with the per-dependency report when a required dependency is down', async function () {
    this.timeout(30_000);
    const reply = await call(broken.url, 'GET', '/api/health/ready');
    expect(reply.status, reply.text).to.equal(503);
    expect(reply.headers.get('retry-after')).to.equal('5');
    const report = reply.body.data as Readiness;
    expect(report.status).to.equal('not_ready');
    const byName = Object.fromEntries(report.dependencies.map((dependency) => [dependency.name, dependency]));
    expect(byName['pubsub']!.status).to.equal('down');
    expect(byName['pubsub']!.error).to.be.a('string').with.length.greaterThan(0);
    expect(byName['firestore']!.status).to.equal('up');
    expect(byName['blobStore']!.status).to.equal('up');
  });
});
