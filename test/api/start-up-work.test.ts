/**
 * The API's cold start does only what its first request needs: the outbox redrive, which reads
 * Firestore and publishes to Pub/Sub, waits until the first answer has been sent, and then still
 * republishes a job whose publish was lost. In process, against the emulators.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { PubSub } from '@google-cloud/pubsub';
import { createApiFunction } from '../../functions/http/api-function.js';
import { loadConfig } from '../../functions/platform/config.js';
import { createLogger } from '../../functions/platform/logger.js';
import { createRuntime } from '../../functions/runtime.js';
import { testFirestore } from '../support/firestore-direct.js';
import { collectingTopic, type TopicCollector } from '../support/pubsub-collector.js';
import { TEST_OUTPUT, TEST_PROJECT } from '../support/test-environment.js';

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe('the API at start', function () {
  this.timeout(60_000);
  let client: PubSub;
  let collector: TopicCollector | undefined;
  let server: ReturnType<ReturnType<typeof express>['listen']> | undefined;
  before(() => {
    client = new PubSub({ projectId: TEST_PROJECT });
  });
  after(async () => {
    await collector?.close();
    await client.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it('redrives the outbox only once its first answer is sent', async () => {
    const topic = `start-up-${randomUUID()}`;
    collector = await collectingTopic(client, topic);
    const jobId = `lost-${randomUUID()}`;
    const job = { assetId: 'start-up-asset', sourceUrl: 'https://is1-ssl.mzstatic.com/start-up.jpg', requestId: jobId };
    const outbox = testFirestore().collection('album_art_outbox').doc(jobId);
    await outbox.set({ id: jobId, topic, data: job, attributes: {}, createdAt: '2020-01-01T00:00:00.000Z' });

    const config = loadConfig({
      ...process.env,
      DEPLOY_ENV: 'test',
      GOOGLE_CLOUD_PROJECT: TEST_PROJECT,
      BLOB_DIR: mkdtempSync(path.join(TEST_OUTPUT, 'blobs-')),
      ALBUM_ART_TOPIC: topic,
      ALBUM_ART_REDRIVE_AFTER_MS: '0',
      LOG_LEVEL: 'ERROR',
    });
    const handler = createApiFunction(createRuntime(config, createLogger('ERROR')));
    await sleep(1500);
    expect(collector.received, 'nothing published before the first request').to.deep.equal([]);
    expect((await outbox.get()).exists, 'the job still waits in the outbox').to.equal(true);

    const app = express();
    app.use((request, response) => void handler(request, response));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server!.once('listening', resolve));
    const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/taxonomy/layers`);
    expect(answer.status, await answer.text()).to.equal(200);

    const deadline = Date.now() + 20_000;
    while (collector.received.length === 0 && Date.now() < deadline) await sleep(100);
    expect(collector.received).to.deep.equal([job]);
  });
});
