/**
 * The whole path: API create (or the album-art route) -> outbox -> Pub/Sub emulator push ->
 * functions-framework processAlbumArt -> ClamAV scan -> album-art bucket and Firestore status.
 */
import { expect } from 'chai';
import { originalName } from '../../functions/album-art/index.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Message } from '@google-cloud/pubsub';
import { setUpAlbumArtPubSub, type AlbumArtPubSub } from '../../scripts/lib/album-art-pubsub.js';
import { albumArtOf, startAlbumArtFunction, waitForStatus, type AlbumArtFunction } from '../support/album-art-stack.js';
import { useApi } from '../support/api-server.js';
import { startClamd, type Clamd } from '../support/clamd.js';
import { testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { startImageServer, type ImageServer } from '../support/image-server.js';
import { TEST_PROJECT, TOKENS } from '../support/test-environment.js';

const SONG = { layer: 'G', category: 'Pop', subcategory: 'Swift_Inspired', description: 'A song with art', source: 'ReViz' };

describe('album-art pipeline: API to stored original through Pub/Sub', function () {
  this.timeout(60_000);
  let clamd: Clamd;
  let images: ImageServer;
  let processor: AlbumArtFunction;
  let pubsub: AlbumArtPubSub;

  before(async function () {
    this.timeout(120_000);
    [clamd, images] = await Promise.all([startClamd(), startImageServer('127.0.0.2')]);
    processor = await startAlbumArtFunction({
      ALBUM_ART_ALLOWED_HOSTS: '127.0.0.2',
      ALBUM_ART_ALLOW_LOOPBACK_SOURCES: '127.0.0.2',
      ALBUM_ART_SCAN: 'required',
      CLAMD_ADDRESS: clamd.address,
      // As many attempts as the subscription's dead-letter policy allows deliveries.
      ALBUM_ART_TEST_MAX_ATTEMPTS: '5',
    });
    pubsub = await setUpAlbumArtPubSub({
      projectId: TEST_PROJECT,
      functionUrl: processor.url,
      maxDeliveryAttempts: 5,
      minimumBackoffSeconds: 1,
      maximumBackoffSeconds: 2,
    });
  });
  const api = useApi();

  after(async function () {
    this.timeout(30_000);
    await Promise.all([processor?.stop(), clamd?.stop(), images?.close(), pubsub?.close()]);
  });

  function storedFile(objectName: string): { bytes: Buffer; sidecar: { contentType: string; cacheControl?: string; metadata: Record<string, string> } } {
    const root = path.join(processor.blobDirectory, 'album-art-bucket');
    return {
      bytes: readFileSync(path.join(root, objectName)),
      sidecar: JSON.parse(readFileSync(path.join(root, '.meta', `${objectName}.json`), 'utf8')),
    };
  }

  async function expectStored(assetId: string, fixture: Buffer, contentType: string, extension: string, sourceUrl: string): Promise<void> {
    const albumArt = await waitForStatus(assetId, ['stored', 'failed']);
    expect(albumArt.error, JSON.stringify(albumArt.error)).to.equal(undefined);
    expect(albumArt.status).to.equal('stored');
    const sha256 = createHash('sha256').update(fixture).digest('hex');
    // Private and content-addressed: no object name or URL of the original on the asset.
    const objectName = originalName(sha256);
    expect(albumArt.original).to.deep.equal({ sha256, contentType, width: 64, height: 48, bytes: fixture.length });
    expect(albumArt.sha256).to.equal(sha256);
    expect(albumArt.scanned).to.equal(true);
    expect(albumArt.statusHistory?.map((change) => change.status)).to.deep.equal(['pending', 'processing', 'stored']);
    const stored = storedFile(objectName);
    expect(stored.bytes.equals(fixture)).to.equal(true);
    expect(stored.sidecar.contentType).to.equal(contentType);
    expect(stored.sidecar.cacheControl).to.equal('private, no-store');
    // The first job that stored these bytes is named; a later one reuses them.
    expect(stored.sidecar.metadata).to.include({ sha256, width: '64', height: '48', scanned: 'true' });
    expect(sourceUrl).to.be.a('string');
    // Published and removed from the outbox.
    expect((await testFirestore().collection('album_art_outbox').get()).size).to.equal(0);
  }

  it('stores a JPEG named in albumArt.sourceUrl on create', async () => {
    const sourceUrl = `${images.url}/good.jpg`;
    const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: { ...SONG, albumArt: { sourceUrl } } });
    expect(reply.status).to.equal(201);
    const created = dataOf<{ id: string; albumArtInfo: { status: string; jobId: string } }>(reply);
    expect(created.albumArtInfo.status).to.equal('pending');
    await expectStored(created.id, images.fixtures.jpeg, 'image/jpeg', 'jpg', sourceUrl);
  });

  it("stores a PNG named in the old clients' metadata.albumArtUrl, whatever its declared type", async () => {
    const sourceUrl = `${images.url}/mislabelled.png`;
    const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: { ...SONG, metadata: { albumArtUrl: sourceUrl } } });
    expect(reply.status).to.equal(201);
    await expectStored(dataOf<{ id: string }>(reply).id, images.fixtures.png, 'image/png', 'png', sourceUrl);
  });

  it('stores a WebP requested with POST /api/assets/:id/album-art', async () => {
    const created = dataOf<{ id: string; albumArt?: unknown; albumArtInfo?: unknown }>(
      await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: SONG }),
    );
    expect(created.albumArt).to.equal(undefined);
    expect(created.albumArtInfo).to.equal(undefined);
    const sourceUrl = `${images.url}/good.webp`;
    const reply = await call(api.url, 'POST', `/api/assets/${created.id}/album-art`, { token: TOKENS.editor, json: { sourceUrl } });
    expect(reply.status).to.equal(202);
    await expectStored(created.id, images.fixtures.webp, 'image/webp', 'webp', sourceUrl);
  });

  it('starts a new job when an update names a new source URL, and none when it names the same one', async () => {
    const first = `${images.url}/good.jpg`;
    const created = dataOf<{ id: string }>(
      await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: { ...SONG, albumArt: { sourceUrl: first } } }),
    );
    const stored = await waitForStatus(created.id, ['stored', 'failed']);
    const same = await call(api.url, 'PATCH', `/api/assets/${created.id}`, {
      token: TOKENS.editor,
      json: { albumArt: { sourceUrl: first }, description: 'renamed' },
    });
    expect(same.status).to.equal(200);
    const unchanged = dataOf<{ albumArtInfo: { jobId: string; status: string } }>(same).albumArtInfo;
    expect(unchanged).to.include({ jobId: stored.jobId, status: 'stored' });
    const second = `${images.url}/good.png`;
    const changed = dataOf<{ albumArtInfo: { jobId: string; status: string } }>(
      await call(api.url, 'PATCH', `/api/assets/${created.id}`, { token: TOKENS.editor, json: { albumArt: { sourceUrl: second } } }),
    ).albumArtInfo;
    expect(changed.status).to.equal('pending');
    expect(changed.jobId).to.not.equal(stored.jobId);
    await expectStored(created.id, images.fixtures.png, 'image/png', 'png', second);
  });

  it('succeeds after Pub/Sub redelivers a job whose source answered 500 first', async () => {
    const sourceUrl = `${images.url}/flaky.jpg?case=${Date.now()}`;
    const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: { ...SONG, albumArt: { sourceUrl } } });
    const id = dataOf<{ id: string }>(reply).id;
    await expectStored(id, images.fixtures.jpeg, 'image/jpeg', 'jpg', sourceUrl);
    const albumArt = await waitForStatus(id, ['stored']);
    expect(albumArt.attempts).to.equal(2);
    expect(images.hits.get(new URL(sourceUrl).pathname + new URL(sourceUrl).search)).to.equal(2);
  });

  it('fails a job whose source stays down after 5 deliveries, and dead-letters its message', async () => {
    const deadLetters: Array<Record<string, unknown>> = [];
    const holder = pubsub.deadLetterTopic.subscription(pubsub.deadLetterSubscription);
    holder.on('message', (message: Message) => {
      deadLetters.push(JSON.parse(message.data.toString('utf8')) as Record<string, unknown>);
      message.ack();
    });
    const sourceUrl = `${images.url}/always-500.jpg`;
    const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: { ...SONG, albumArt: { sourceUrl } } });
    const created = dataOf<{ id: string; albumArtInfo: { jobId: string } }>(reply);
    const albumArt = await waitForStatus(created.id, ['failed', 'stored'], 45_000);
    expect(albumArt.error).to.deep.include({ code: 'SOURCE_UNAVAILABLE', attempts: 5 });
    const deadline = Date.now() + 20_000;
    while (deadLetters.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    await holder.close();
    expect(deadLetters).to.deep.equal([{ assetId: created.id, sourceUrl, requestId: created.albumArtInfo.jobId }]);
    expect((await albumArtOf(created.id))?.sha256).to.equal(undefined);
  });

  it('makes no job for assets outside Songs, and refuses the album-art route for them', async () => {
    const star = { layer: 'S', category: 'Pop', subcategory: 'Base', description: 'A star', source: 'ReViz' };
    const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: { ...star, albumArt: { sourceUrl: `${images.url}/good.jpg` } } });
    const created = dataOf<{ id: string; albumArtInfo: { status?: string } }>(reply);
    expect(created.albumArtInfo.status).to.equal(undefined);
    const refused = await call(api.url, 'POST', `/api/assets/${created.id}/album-art`, { token: TOKENS.editor, json: { sourceUrl: `${images.url}/good.jpg` } });
    expect(refused.status).to.equal(400);
    expect(refused.body.error?.code).to.equal('VALIDATION_FAILED');
    expect((await testFirestore().collection('album_art_outbox').get()).size).to.equal(0);
    expect((await albumArtOf(created.id))?.sha256).to.equal(undefined);
  });
});
