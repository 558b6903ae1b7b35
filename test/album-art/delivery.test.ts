/**
 * Delivery semantics of processAlbumArt: duplicates change nothing, a rate-limited or scanner-less
 * job is retried rather than failed, the feature flag turns the pipeline off at both ends.
 */
import { expect } from 'chai';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { albumArtOf, deliver, seedPendingSong, startAlbumArtFunction, type AlbumArtFunction } from '../support/album-art-stack.js';
import { useApi } from '../support/api-server.js';
import { snapshotCollection, testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { startImageServer, type ImageServer } from '../support/image-server.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { HOST_RATE_LIMIT_COLLECTION } from '../../functions/adapters/firestore/stored-names.js';
import { TOKENS } from '../support/test-environment.js';

const SOURCE_ENV = { ALBUM_ART_ALLOWED_HOSTS: '127.0.0.2', ALBUM_ART_ALLOW_LOOPBACK_SOURCES: '127.0.0.2' };

/** Waits, if need be, for the next clock minute, so that at least `ms` of the current one remain. */
async function untilMinuteHasLeft(ms: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < ms) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

describe('album-art pipeline: delivery semantics', function () {
  this.timeout(60_000);
  let images: ImageServer;
  let processor: AlbumArtFunction;
  let limited: AlbumArtFunction;
  let noScanner: AlbumArtFunction;
  let disabled: AlbumArtFunction;

  before(async function () {
    this.timeout(120_000);
    images = await startImageServer('127.0.0.2');
    const deadPort = await freePort();
    [processor, limited, noScanner, disabled] = await Promise.all([
      startAlbumArtFunction({ ...SOURCE_ENV, ALBUM_ART_SCAN: 'off' }),
      startAlbumArtFunction({ ...SOURCE_ENV, ALBUM_ART_SCAN: 'off', ALBUM_ART_RATE_LIMIT_PER_MINUTE: '1' }),
      startAlbumArtFunction({ ...SOURCE_ENV, ALBUM_ART_SCAN: 'required', CLAMD_ADDRESS: `tcp://127.0.0.1:${deadPort}` }),
      startAlbumArtFunction({ ...SOURCE_ENV, FLAG_ALBUM_ART_PIPELINE: 'false' }),
    ]);
  });

  after(async function () {
    this.timeout(30_000);
    await Promise.all([processor?.stop(), limited?.stop(), noScanner?.stop(), disabled?.stop(), images?.close()]);
  });

  /** The stored originals (content-addressed: one per distinct image, whatever the asset). */
  function objectsOf(server: AlbumArtFunction): string[] {
    const directory = path.join(server.blobDirectory, 'album-art-bucket', 'album-art', 'originals');
    return existsSync(directory) ? readdirSync(directory).map(String) : [];
  }

  it('stores one object and one status history when the same message arrives 5 times at once', async () => {
    const job = await seedPendingSong(`${images.url}/good.jpg`);
    const statuses = await Promise.all(Array.from({ length: 5 }, () => deliver(processor.url, job, 'same-message-id')));
    expect(
      statuses.every((status) => status < 300),
      String(statuses),
    ).to.equal(true);
    const albumArt = await albumArtOf(job.assetId);
    expect(albumArt?.status).to.equal('stored');
    expect(albumArt?.scanned).to.equal(false);
    // The four deliveries that found the claim held were acknowledged without counting.
    expect(albumArt?.attempts).to.equal(1);
    expect(albumArt?.statusHistory?.map((change) => change.status)).to.deep.equal(['pending', 'processing', 'stored']);
    expect(objectsOf(processor)).to.have.length(1);
    // ...and 5 more, one after the other, change nothing at all.
    const before = await snapshotCollection('assets');
    for (let delivery = 0; delivery < 5; delivery++) expect(await deliver(processor.url, job, 'same-message-id')).to.equal(204);
    expect(await snapshotCollection('assets')).to.deep.equal(before);
    expect(objectsOf(processor)).to.have.length(1);
  });

  it('ignores a job superseded by a newer one on the same asset', async () => {
    const job = await seedPendingSong(`${images.url}/good.jpg`);
    const stale = { ...job, requestId: 'an-older-job' };
    const objectsBefore = objectsOf(processor);
    expect(await deliver(processor.url, stale)).to.equal(204);
    expect((await albumArtOf(job.assetId))?.status).to.equal('pending');
    expect(objectsOf(processor)).to.deep.equal(objectsBefore);
  });

  it('acknowledges a message without a valid job and changes nothing', async () => {
    const before = await snapshotCollection('assets');
    expect(await deliver(processor.url, { assetId: '', sourceUrl: 'x', requestId: '' })).to.equal(204);
    expect(await snapshotCollection('assets')).to.deep.equal(before);
  });

  it('retries, never fails, a job over the per-host rate limit (shared in Firestore)', async function () {
    this.timeout(120_000);
    // The budget is per clock minute: begin where the rest of the minute outlasts the test, so no
    // new window opens between the two jobs however slowly the machine runs them.
    await untilMinuteHasLeft(40_000);
    const first = await seedPendingSong(`${images.url}/good.jpg`);
    const second = await seedPendingSong(`${images.url}/good.png`);
    expect(await deliver(limited.url, first)).to.equal(204);
    for (let delivery = 0; delivery < 3; delivery++) expect(await deliver(limited.url, second)).to.equal(500);
    const albumArt = await albumArtOf(second.assetId);
    expect(albumArt?.status).to.equal('processing');
    expect(albumArt?.error).to.equal(undefined);
    const windows = await testFirestore().collection(HOST_RATE_LIMIT_COLLECTION).get();
    expect(windows.docs.map((document) => document.get('count'))).to.deep.equal([1]);
  });

  it('retries while the scanner is unreachable, then fails with SCANNER_UNAVAILABLE', async () => {
    const job = await seedPendingSong(`${images.url}/good.jpg`);
    expect(await deliver(noScanner.url, job)).to.equal(500);
    expect((await albumArtOf(job.assetId))?.status).to.equal('processing');
    expect(await deliver(noScanner.url, job)).to.equal(500);
    const albumArt = await albumArtOf(job.assetId);
    expect(albumArt?.error).to.deep.include({ code: 'SCANNER_UNAVAILABLE', attempts: 2 });
    expect(objectsOf(noScanner)).to.deep.equal([]);
  });

  it('acknowledges jobs without work while ALBUM_ART_PIPELINE is off', async () => {
    const job = await seedPendingSong(`${images.url}/good.jpg`);
    const before = await snapshotCollection('assets');
    expect(await deliver(disabled.url, job)).to.equal(204);
    expect(await snapshotCollection('assets')).to.deep.equal(before);
    expect(objectsOf(disabled)).to.deep.equal([]);
  });

  describe('the API with ALBUM_ART_PIPELINE off', () => {
    const api = useApi({ FLAG_ALBUM_ART_PIPELINE: 'false' });

    it('answers album-art requests with FEATURE_DISABLED and changes nothing', async () => {
      const song = { layer: 'G', category: 'Pop', subcategory: 'Swift_Inspired', description: 'A song', source: 'ReViz' };
      const created = dataOf<{ id: string }>(await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: song }));
      const before = await snapshotCollection('assets');
      const route = await call(api.url, 'POST', `/api/assets/${created.id}/album-art`, {
        token: TOKENS.editor,
        json: { sourceUrl: 'https://is1-ssl.mzstatic.com/a.jpg' },
      });
      expect(route.status).to.equal(400);
      expect(route.body.error?.code).to.equal('FEATURE_DISABLED');
      const create = await call(api.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        json: { ...song, albumArt: { sourceUrl: 'https://is1-ssl.mzstatic.com/a.jpg' } },
      });
      expect(create.status).to.equal(400);
      expect(create.body.error?.code).to.equal('FEATURE_DISABLED');
      expect(await snapshotCollection('assets')).to.deep.equal(before);
      expect(await snapshotCollection('album_art_outbox')).to.deep.equal({});
    });

    it("still accepts old clients' metadata.albumArtUrl, without a job", async () => {
      const song = {
        layer: 'G',
        category: 'Pop',
        subcategory: 'Swift_Inspired',
        description: 'A song',
        source: 'ReViz',
        metadata: { albumArtUrl: 'https://is1-ssl.mzstatic.com/a.jpg' },
      };
      const created = dataOf<{ id: string; albumArt?: unknown; metadata: Record<string, unknown> }>(
        await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: song }),
      );
      expect(created.albumArt).to.equal(undefined);
      expect(created.metadata['albumArtUrl']).to.equal('https://is1-ssl.mzstatic.com/a.jpg');
      expect(await snapshotCollection('album_art_outbox')).to.deep.equal({});
    });
  });
});
