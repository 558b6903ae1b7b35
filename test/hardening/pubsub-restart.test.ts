/**
 * Fault: the Pub/Sub emulator goes away mid-pipeline. A song created meanwhile is still created
 * (its job waits in the outbox), and once Pub/Sub is back the next API instance's redrive publishes
 * it and the job completes, with no step of the job driven by the test.
 */
import { expect } from 'chai';
import path from 'node:path';
import { setUpAlbumArtPubSub } from '../../scripts/lib/album-art-pubsub.js';
import { startPubSubEmulator, type Emulator } from '../../scripts/lib/emulators.js';
import { startAlbumArtFunction, waitForStatus, type AlbumArtFunction } from '../support/album-art-stack.js';
import { startApi, type ApiServer } from '../support/api-server.js';
import { testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { startImageServer, type ImageServer } from '../support/image-server.js';
import { TEST_OUTPUT, TEST_PROJECT, TOKENS } from '../support/test-environment.js';

describe('fault: the Pub/Sub emulator restarts mid-pipeline', function () {
  this.timeout(240_000);
  const logs = path.join(TEST_OUTPUT, 'pubsub-restart');
  let pubsub: Emulator | undefined;
  let images: ImageServer;
  let processor: AlbumArtFunction;
  const apis: ApiServer[] = [];

  before(async function () {
    this.timeout(120_000);
    pubsub = await startPubSubEmulator(logs);
    images = await startImageServer('127.0.0.2');
    processor = await startAlbumArtFunction({
      PUBSUB_EMULATOR_HOST: pubsub.host,
      ALBUM_ART_ALLOWED_HOSTS: '127.0.0.2',
      ALBUM_ART_ALLOW_LOOPBACK_SOURCES: '127.0.0.2',
      ALBUM_ART_SCAN: 'off',
    });
    await (await setUpAlbumArtPubSub({ projectId: TEST_PROJECT, functionUrl: processor.url, emulatorHost: pubsub.host })).close();
  });
  after(async function () {
    this.timeout(30_000);
    await Promise.all([...apis.map((api) => api.stop()), processor?.stop(), images?.close()]);
    await pubsub?.stop();
  });

  it('keeps the job in the outbox while Pub/Sub is down and completes it after it returns', async () => {
    const apiEnv = { PUBSUB_EMULATOR_HOST: pubsub!.host, ALBUM_ART_REDRIVE_AFTER_MS: '0' };
    // Separate processes: they use this suite's own Pub/Sub emulator (the client reads PUBSUB_EMULATOR_HOST from process.env).
    apis.push(await startApi(apiEnv, { process: true }));
    const port = Number(pubsub!.host.split(':')[1]);
    await pubsub!.stop();

    const created = await call(apis[0]!.url, 'POST', '/api/assets', {
      token: TOKENS.editor,
      json: { layer: 'G', category: 'Pop', subcategory: 'Base', description: 'Song while Pub/Sub is down', albumArt: { sourceUrl: `${images.url}/good.png` } },
    });
    expect(created.status, created.text).to.equal(201);
    const id = dataOf<{ id: string }>(created).id;
    expect((await testFirestore().collection('album_art_outbox').get()).size, 'the job waits in the outbox').to.equal(1);

    // The emulator comes back empty: topics and the push subscription are set up again, as a
    // deployment's infrastructure would already be.
    pubsub = await startPubSubEmulator(logs, port);
    await (await setUpAlbumArtPubSub({ projectId: TEST_PROJECT, functionUrl: processor.url, emulatorHost: pubsub.host })).close();
    apis.push(await startApi(apiEnv, { process: true }));

    const art = await waitForStatus(id, ['stored', 'failed'], 90_000);
    expect(art.status, JSON.stringify(art)).to.equal('stored');
    expect((await testFirestore().collection('album_art_outbox').get()).size, 'the outbox is empty again').to.equal(0);
  });
});
