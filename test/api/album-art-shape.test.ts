/**
 * Album art in the shape the web frontend reads (ALBUM_ART_AS_URL, default on): `albumArt` is the
 * image URL, the 500 px JPEG once ready and the source before, with the object as `albumArtInfo`;
 * off, the seed's object. The flag is flipped at run time through the flags API: bytes, ETags and
 * shared listing pages follow it, If-Match keeps working across a flip, and writes take both shapes.
 */
import { expect } from 'chai';
import { useApi } from '../support/api-server.js';
import { snapshotCollection, testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';

const SHA = 'a'.repeat(64);
const VARIANTS = 'http://album-art.test/album-art/variants';
const MEDIUM = `${VARIANTS}/${SHA}/500.jpg`;
const SOURCE = 'https://is1-ssl.mzstatic.com/image/thumb/Music/cover/600x600bb.jpg';

function song(name: string, albumArt?: Record<string, unknown>): Record<string, unknown> {
  return {
    name,
    nna_address: `1.001.001.${name.slice(-3)}`,
    layer: 'G',
    category: 'Pop',
    subcategory: 'Base',
    categoryCode: 'POP',
    subcategoryCode: 'BAS',
    description: `Song ${name}`,
    tags: ['pop'],
    status: 'active',
    createdAt: '2025-03-01T00:00:00.000Z',
    updatedAt: '2025-03-01T00:00:00.000Z',
    ...(albumArt ? { albumArt } : {}),
  };
}

const READY = {
  source: 'iTunes',
  sourceUrl: SOURCE,
  status: 'ready',
  jobId: 'job-1',
  url: MEDIUM,
  sha256: SHA,
  variants: {
    '150': { jpg: { url: `${VARIANTS}/${SHA}/150.jpg`, width: 150, height: 150, bytes: 5000 } },
    '500': { jpg: { url: MEDIUM, width: 500, height: 500, bytes: 40000 }, webp: { url: `${VARIANTS}/${SHA}/500.webp`, width: 500, height: 500, bytes: 30000 } },
  },
  original: {
    sha256: SHA,
    contentType: 'image/jpeg',
    width: 600,
    height: 600,
    bytes: 90000,
    objectName: `album-art/originals/${SHA}.jpg`,
    url: 'http://private',
  },
  lease: { holder: 'someone', expiresAt: '2025-03-01T00:00:00.000Z' },
};

async function seedSongs(): Promise<void> {
  const batch = testFirestore().batch();
  batch.set(testFirestore().collection('assets').doc('ready'), song('G.POP.BAS.001', READY));
  batch.set(
    testFirestore().collection('assets').doc('pending'),
    song('G.POP.BAS.002', { source: 'iTunes', sourceUrl: SOURCE, status: 'pending', jobId: 'job-2' }),
  );
  batch.set(testFirestore().collection('assets').doc('none'), song('G.POP.BAS.003'));
  await batch.commit();
}

describe('album art as the frontend reads it (ALBUM_ART_AS_URL)', function () {
  this.timeout(60_000);
  // Listing pages are shared, to show that a flip is not answered from a page of the other shape.
  const api = useApi({ LISTING_SHARE_MS: '10000' });
  beforeEach(seedSongs);

  /** Flips the flag at run time, as an operator does; this instance applies it at once. */
  async function setShape(shape: 'url' | 'object'): Promise<void> {
    const reply = await call(api.url, 'PUT', '/api/admin/flags', { token: TOKENS.admin, json: { ALBUM_ART_AS_URL: shape === 'url' } });
    expect(reply.status, reply.text).to.equal(200);
  }
  // The instance caches the flags: back to the default before the next test, whose Firestore is empty.
  afterEach(() => setShape('url'));

  it('shows the 500 px JPEG once ready, the source before, and the object as albumArtInfo (the default)', async () => {
    const ready = dataOf<Record<string, unknown>>(await call(api.url, 'GET', '/api/assets/ready'));
    expect(ready['albumArt']).to.equal(MEDIUM);
    const info = ready['albumArtInfo'] as Record<string, unknown>;
    expect(info).to.include({ status: 'ready', sourceUrl: SOURCE, url: MEDIUM });
    // What the object shape hides stays hidden: the lease and the private original's name and URL.
    expect(info).not.to.have.property('lease');
    expect(info['original']).to.deep.equal({ sha256: SHA, contentType: 'image/jpeg', width: 600, height: 600, bytes: 90000 });
    // The object sits right after albumArt, where the frontend's field order puts album art.
    const keys = Object.keys(ready);
    expect(keys.indexOf('albumArtInfo')).to.equal(keys.indexOf('albumArt') + 1);

    const pending = dataOf<Record<string, unknown>>(await call(api.url, 'GET', '/api/assets/pending'));
    expect(pending['albumArt']).to.equal(SOURCE);
    expect(pending['albumArtInfo']).to.include({ status: 'pending', sourceUrl: SOURCE });

    const none = dataOf<Record<string, unknown>>(await call(api.url, 'GET', '/api/assets/none'));
    expect(none).not.to.have.any.keys('albumArt', 'albumArtInfo');

    const page = dataOf<{ items: Array<Record<string, unknown>> }>(await call(api.url, 'GET', '/api/assets?limit=100&sortBy=name&sortOrder=asc'));
    expect(page.items.map((item) => item['albumArt'])).to.deep.equal([MEDIUM, SOURCE, undefined]);
  });

  it("answers the seed's object when the flag is off; bytes, ETags and shared pages follow a flip", async () => {
    const urlShape = await call(api.url, 'GET', '/api/assets/ready');
    const pageUrl = '/api/assets?limit=100&sortBy=name&sortOrder=asc&layer=G';
    const urlPage = await call(api.url, 'GET', pageUrl);
    await setShape('object');
    const objectShape = await call(api.url, 'GET', '/api/assets/ready');
    const albumArt = dataOf<Record<string, unknown>>(objectShape)['albumArt'] as Record<string, unknown>;
    expect(albumArt).to.include({ status: 'ready', url: MEDIUM, sourceUrl: SOURCE });
    expect(albumArt).not.to.have.property('lease');
    expect(dataOf<Record<string, unknown>>(objectShape)).not.to.have.property('albumArtInfo');
    expect(objectShape.headers.get('etag')).to.not.equal(urlShape.headers.get('etag'));
    // The ETag of the url shape no longer matches: the client gets the new bytes.
    const conditional = await call(api.url, 'GET', '/api/assets/ready', { headers: { 'If-None-Match': urlShape.headers.get('etag')! } });
    expect(conditional.status).to.equal(200);
    // The shared page of the url shape is not served in the object shape.
    const objectPage = await call(api.url, 'GET', pageUrl);
    expect(objectPage.headers.get('etag')).to.not.equal(urlPage.headers.get('etag'));
    expect(objectPage.headers.get('x-documents-read')).to.not.equal('0');
    expect(dataOf<{ items: Array<Record<string, unknown>> }>(objectPage).items[0]!['albumArt']).to.be.an('object');
    await setShape('url');
    expect(dataOf<Record<string, unknown>>(await call(api.url, 'GET', '/api/assets/ready'))['albumArt']).to.equal(MEDIUM);
    expect((await call(api.url, 'GET', pageUrl)).headers.get('etag')).to.equal(urlPage.headers.get('etag'));
  });

  it('takes If-Match with the ETag of either shape: a flip changes the bytes, not the asset', async () => {
    const etag = (await call(api.url, 'GET', '/api/assets/pending')).headers.get('etag')!;
    await setShape('object');
    const put = await call(api.url, 'PUT', '/api/assets/pending', { token: TOKENS.editor, json: { description: 'edited' }, headers: { 'If-Match': etag } });
    expect(put.status, put.text).to.equal(200);
    const stale = await call(api.url, 'PUT', '/api/assets/pending', { token: TOKENS.editor, json: { description: 'again' }, headers: { 'If-Match': etag } });
    expect(stale.status).to.equal(412);
  });

  for (const shape of ['url', 'object'] as const) {
    it(`takes album art as a URL string and as an object while the shape is ${shape}`, async () => {
      await setShape(shape);
      const asString = await call(api.url, 'PUT', '/api/assets/none', { token: TOKENS.editor, json: { albumArt: `${SOURCE}?as=string` } });
      expect(asString.status, asString.text).to.equal(200);
      const stored = (await testFirestore().collection('assets').doc('none').get()).get('albumArt') as Record<string, unknown>;
      expect(stored).to.include({ sourceUrl: `${SOURCE}?as=string`, status: 'pending' });
      const asObject = await call(api.url, 'PUT', '/api/assets/none', {
        token: TOKENS.editor,
        json: { albumArt: { sourceUrl: `${SOURCE}?as=object`, source: 'Manual' } },
      });
      expect(asObject.status, asObject.text).to.equal(200);
      expect((await testFirestore().collection('assets').doc('none').get()).get('albumArt')).to.include({ sourceUrl: `${SOURCE}?as=object`, source: 'Manual' });
      const shown = dataOf<Record<string, unknown>>(asObject)['albumArt'];
      expect(shape === 'url' ? shown : (shown as Record<string, unknown>)['sourceUrl']).to.equal(`${SOURCE}?as=object`);
    });
  }

  it('takes the image URL it showed, sent back, as no change to the album art (no new job)', async () => {
    const outboxBefore = await snapshotCollection('album_art_outbox');
    const reply = await call(api.url, 'PUT', '/api/assets/ready', { token: TOKENS.editor, json: { albumArt: MEDIUM, description: 'edited, art untouched' } });
    expect(reply.status, reply.text).to.equal(200);
    const stored = (await testFirestore().collection('assets').doc('ready').get()).get('albumArt') as Record<string, unknown>;
    expect(stored).to.include({ status: 'ready', sourceUrl: SOURCE, source: 'iTunes', jobId: 'job-1' });
    expect(await snapshotCollection('album_art_outbox')).to.deep.equal(outboxBefore);
    expect(dataOf<Record<string, unknown>>(reply)['albumArt']).to.equal(MEDIUM);
  });

  it('never shows a source off the download allow-list, or one the pipeline refused, as the image', async () => {
    const tracker = 'http://evil.example/pixel.gif';
    const created = await call(api.url, 'POST', '/api/assets', {
      token: TOKENS.editor,
      json: { layer: 'G', category: 'POP', subcategory: 'BAS', description: 'A song with a tracker for art', tags: ['pop'], albumArt: tracker },
    });
    expect(created.status, created.text).to.equal(201);
    const asset = dataOf<Record<string, unknown>>(created);
    expect(asset).not.to.have.property('albumArt');
    // Not Apple's artwork CDN: not iTunes either.
    expect(asset['albumArtInfo']).to.include({ sourceUrl: tracker, source: 'Manual' });

    const refused = {
      ...READY,
      status: 'failed',
      error: { code: 'HOST_NOT_ALLOWED', message: 'evil.example is not on the album-art host allow-list', attempts: 1 },
    };
    delete (refused as Record<string, unknown>)['url'];
    delete (refused as Record<string, unknown>)['variants'];
    await testFirestore()
      .collection('assets')
      .doc('refused')
      .set(song('G.POP.BAS.004', { ...refused, sourceUrl: tracker }));
    await testFirestore()
      .collection('assets')
      .doc('failed')
      .set(song('G.POP.BAS.005', { ...refused, error: { code: 'DOWNLOAD_FAILED', message: 'gone', attempts: 5 } }));
    for (const id of ['refused', 'failed', asset['id'] as string]) {
      const view = dataOf<Record<string, unknown>>(await call(api.url, 'GET', `/api/assets/${id}`));
      expect(view, id).not.to.have.property('albumArt');
      expect(view['albumArtInfo'], id).to.be.an('object');
    }
    const refusedView = dataOf<Record<string, unknown>>(await call(api.url, 'GET', '/api/assets/refused'));
    expect(refusedView['albumArtInfo']).to.deep.include({ status: 'failed', sourceUrl: tracker });
    const listed = dataOf<{ items: Array<Record<string, unknown>> }>(await call(api.url, 'GET', '/api/assets?limit=100'));
    // The stored variant and the allowed pending source are still shown; nothing else is.
    expect(
      listed.items
        .map((item) => item['albumArt'])
        .filter((url) => url !== undefined)
        .sort(),
    ).to.deep.equal([MEDIUM, SOURCE].sort());
  });
});
