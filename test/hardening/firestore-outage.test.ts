/**
 * Fault: Firestore goes away while the API is serving. Requests get 503 with Retry-After in the
 * error envelope within the configured deadline, the process stays up, liveness stays green, and
 * service comes back by itself when Firestore returns.
 */
import { expect } from 'chai';
import path from 'node:path';
import { startFirestoreEmulator, type Emulator } from '../../scripts/lib/emulators.js';
import { startApi, type ApiProcess } from '../support/api-server.js';
import { starPayload } from '../support/asset-fixtures.js';
import { call, dataOf } from '../support/http-client.js';
import { TEST_OUTPUT, TOKENS } from '../support/test-environment.js';

const DEADLINE_MS = 1500;

describe('fault: Firestore unavailable', function () {
  this.timeout(240_000);
  let firestore: Emulator | undefined;
  let api: ApiProcess | undefined;
  const logs = path.join(TEST_OUTPUT, 'outage');

  before(async () => {
    firestore = await startFirestoreEmulator(logs);
    // Its own process: it talks to an emulator of its own (the client reads FIRESTORE_EMULATOR_HOST from
    // process.env), and "the process stays up" is only provable of a process.
    api = await startApi({ FIRESTORE_EMULATOR_HOST: firestore.host, FIRESTORE_DEADLINE_MS: String(DEADLINE_MS) }, { process: true });
  });
  after(async () => {
    await api?.stop();
    await firestore?.stop();
  });

  /** Creates until one succeeds: a cold client's first call can outlast the short test deadline. */
  async function createWhenAvailable(): Promise<{ id: string } | undefined> {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const reply = await call(api!.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() });
      if (reply.status === 201) return dataOf<{ id: string }>(reply);
      expect(reply.status, reply.text).to.equal(503);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return undefined;
  }

  it('answers 503 with Retry-After while it is down and recovers when it returns', async () => {
    const created = (await createWhenAvailable())!;
    expect(created, 'the API works before the outage').to.have.property('id');
    const port = Number(firestore!.host.split(':')[1]);
    await firestore!.stop();

    const attempts = [
      call(api!.url, 'GET', `/api/assets/${created.id}`),
      call(api!.url, 'GET', '/api/assets?layer=S'),
      call(api!.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() }),
      call(api!.url, 'PUT', `/api/assets/${created.id}`, { token: TOKENS.editor, json: { description: 'while down' } }),
    ];
    for (const reply of await Promise.all(attempts)) {
      expect(reply.status, reply.text).to.equal(503);
      expect(reply.headers.get('retry-after')).to.match(/^\d+$/);
      expect(reply.body.error!.code).to.equal('SERVICE_UNAVAILABLE');
    }
    expect(api!.child.exitCode, 'the API process is still running').to.equal(null);
    expect((await call(api!.url, 'GET', '/api/health')).status).to.equal(200);
    // Bad input is still refused without touching the database.
    expect((await call(api!.url, 'POST', '/api/assets', { token: TOKENS.editor, json: { layer: 'Z' } })).status).to.equal(400);

    firestore = await startFirestoreEmulator(logs, port);
    expect(await createWhenAvailable(), 'service came back after Firestore returned').to.have.property('id');
  });
});
