/**
 * Reliable publishing: a create whose publish fails keeps its job in the outbox and the next API
 * instance republishes it; the backfill queues jobs for existing Songs, dry by default, idempotent.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { PubSub } from '@google-cloud/pubsub';
import { startApi, type ApiServer } from '../support/api-server.js';
import { snapshotCollection, testFirestore } from '../support/firestore-direct.js';
import { collectingTopic } from '../support/pubsub-collector.js';
import { call, dataOf } from '../support/http-client.js';
import { PROJECT_ROOT, TEST_PROJECT, TOKENS } from '../support/test-environment.js';

const run = promisify(execFile);
const SONG = { layer: 'G', category: 'Pop', subcategory: 'Swift_Inspired', description: 'A song', source: 'ReViz' };

async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('album-art jobs: outbox and backfill', function () {
  this.timeout(60_000);
  let client: PubSub;
  before(() => {
    client = new PubSub({ projectId: TEST_PROJECT });
  });
  after(async () => client.close());

  describe('a create whose publish fails', () => {
    let first: ApiServer | undefined;
    let second: ApiServer | undefined;
    after(async () => Promise.all([first?.stop(), second?.stop()]));

    it('still succeeds, keeps the job in the outbox, and the next instance publishes it', async () => {
      const topicName = `jobs-${randomUUID()}`;
      // The topic does not exist yet: every publish fails.
      first = await startApi({ ALBUM_ART_TOPIC: topicName });
      const reply = await call(first.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        json: { ...SONG, albumArt: { sourceUrl: 'https://is1-ssl.mzstatic.com/image/a.jpg' } },
      });
      expect(reply.status).to.equal(201);
      const created = dataOf<{ id: string; albumArtInfo: { status: string; jobId: string } }>(reply);
      expect(created.albumArtInfo.status).to.equal('pending');
      const outbox = await snapshotCollection('album_art_outbox');
      expect(Object.keys(outbox)).to.deep.equal([created.albumArtInfo.jobId]);

      const collector = await collectingTopic(client, topicName);
      second = await startApi({ ALBUM_ART_TOPIC: topicName, ALBUM_ART_REDRIVE_AFTER_MS: '0' });
      await eventually(() => collector.received.length > 0, 'the redriven job');
      expect(collector.received).to.deep.equal([
        { assetId: created.id, sourceUrl: 'https://is1-ssl.mzstatic.com/image/a.jpg', requestId: created.albumArtInfo.jobId },
      ]);
      await eventually(async () => (await testFirestore().collection('album_art_outbox').get()).empty, 'the outbox to empty');
      await collector.close();
    });
  });

  describe('npm run backfill:album-art', () => {
    const script = path.join(PROJECT_ROOT, 'dist/scripts/backfill-album-art.js');
    async function backfill(topic: string, ...args: string[]): Promise<string> {
      const { stdout } = await run(process.execPath, [script, ...args], {
        env: {
          ...process.env,
          DEPLOY_ENV: 'test',
          GOOGLE_CLOUD_PROJECT: TEST_PROJECT,
          ALBUM_ART_TOPIC: topic,
          ALBUM_ART_REDRIVE_AFTER_MS: '60000',
          LOG_LEVEL: 'WARNING',
        },
      });
      return stdout;
    }

    async function seedSongs(): Promise<Record<string, string>> {
      const assets = testFirestore().collection('assets');
      const base = {
        layer: 'G',
        category: 'Pop',
        subcategory: 'Swift_Inspired',
        description: 'old song',
        tags: [],
        files: [],
        status: 'active',
        createdAt: '2024-01-01T00:00:00.000Z',
        updatedAt: '2024-01-01T00:00:00.000Z',
      };
      const documents: Record<string, Record<string, unknown>> = {
        legacy: { ...base, name: 'G.POP.TSW.001', metadata: { albumArtUrl: 'https://is1-ssl.mzstatic.com/legacy.jpg' } },
        newField: { ...base, name: 'G.POP.TSW.002', metadata: {}, albumArt: { source: 'iTunes', sourceUrl: 'https://is1-ssl.mzstatic.com/new.jpg' } },
        failed: {
          ...base,
          name: 'G.POP.TSW.003',
          metadata: {},
          albumArt: { source: 'iTunes', sourceUrl: 'https://is1-ssl.mzstatic.com/f.jpg', status: 'failed', jobId: 'j0' },
        },
        stored: {
          ...base,
          name: 'G.POP.TSW.004',
          metadata: {},
          albumArt: { source: 'iTunes', sourceUrl: 'https://is1-ssl.mzstatic.com/s.jpg', status: 'stored', jobId: 'j1' },
        },
        noSource: { ...base, name: 'G.POP.TSW.005', metadata: {} },
        star: { ...base, layer: 'S', name: 'S.POP.BAS.001', metadata: { albumArtUrl: 'https://is1-ssl.mzstatic.com/x.jpg' } },
      };
      const ids: Record<string, string> = {};
      for (const [key, document] of Object.entries(documents)) {
        const reference = assets.doc(`backfill-${key}`);
        await reference.set(document);
        ids[key] = reference.id;
      }
      return ids;
    }

    it('lists without changing anything, then queues once, then finds nothing more to do', async () => {
      const ids = await seedSongs();
      const topicName = `backfill-${randomUUID()}`;
      const collector = await collectingTopic(client, topicName);
      const before = await snapshotCollection('assets');

      const dry = await backfill(topicName);
      expect(dry).to.match(/would queue 3, skipped 2, of 5 Songs assets/);
      expect(dry).to.include('dry run');
      expect(await snapshotCollection('assets')).to.deep.equal(before);

      const applied = await backfill(topicName, '--yes');
      expect(applied).to.match(/queued 3, skipped 2, of 5 Songs assets/);
      await eventually(() => collector.received.length === 3, 'three jobs');
      const queuedIds = collector.received.map((job) => job['assetId']).sort();
      expect(queuedIds).to.deep.equal([ids['failed'], ids['legacy'], ids['newField']].sort());
      const legacy = (await testFirestore().collection('assets').doc(ids['legacy']!).get()).data()!;
      expect(legacy['albumArt']).to.deep.include({ status: 'pending', sourceUrl: 'https://is1-ssl.mzstatic.com/legacy.jpg' });
      expect(legacy['createdAt']).to.equal('2024-01-01T00:00:00.000Z');
      expect(await snapshotCollection('album_art_outbox')).to.deep.equal({});

      const afterFirst = await snapshotCollection('assets');
      const again = await backfill(topicName, '--yes');
      expect(again).to.match(/queued 0, skipped 5, of 5 Songs assets/);
      expect(await snapshotCollection('assets')).to.deep.equal(afterFirst);
      await collector.close();
    });
  });
});
