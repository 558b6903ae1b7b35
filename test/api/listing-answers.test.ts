/**
 * Listing answers at the browse page's load: the bytes stay what `JSON.stringify` of the envelope
 * gave, in every coding; identical pages in flight together share one read; a client sees its own
 * writes; a page shared across instances is at most LISTING_SHARE_MS old unless the client asks for
 * a fresh one; listings carry an ETag and answer 304; bodies are compressed by Accept-Encoding.
 */
import { expect } from 'chai';
import zlib from 'node:zlib';
import { seedLegacyAssetCollection } from '../../scripts/lib/legacy-asset-generator.js';
import { useApi } from '../support/api-server.js';
import { testFirestore } from '../support/firestore-direct.js';
import { call, dataOf, rawGet, type RawReply } from '../support/http-client.js';
import { legacyAssets, seedLegacyAssets } from '../support/legacy-fixture.js';
import { TOKENS } from '../support/test-environment.js';

const BROWSER = { 'Accept-Encoding': 'gzip, deflate, br, zstd' };

/** The body as the client reads it, whatever coding it came in. */
function decoded(reply: RawReply): Buffer {
  const coding = reply.headers['content-encoding'];
  if (coding === 'gzip') return zlib.gunzipSync(reply.body);
  if (coding === 'br') return zlib.brotliDecompressSync(reply.body);
  expect(coding).to.equal(undefined);
  return reply.body;
}

/** What a request billed: the documents it read and its count() aggregation. */
function readsOf(reply: RawReply): number {
  return Number(reply.headers['x-documents-read']) + Number(reply.headers['x-aggregation-reads']);
}

interface Page {
  items: Array<{ id: string; description: string }>;
  nextCursor?: string;
}

describe('listing answers: exact bytes, shared reads, freshness, ETags and compression', function () {
  this.timeout(60_000);
  // Long enough that nothing in a test outlives it by accident: the bound itself is tested on a fake clock.
  const api = useApi({ LISTING_SHARE_MS: '10000' });
  const other = useApi({ LISTING_SHARE_MS: '10000' });

  describe('the bytes of a listing', () => {
    beforeEach(seedLegacyAssets);

    it('are exactly JSON.stringify of the envelope, as before, in every coding', async () => {
      const byName = [...legacyAssets].sort((a, b) => (JSON.parse(a.expectedJson).name < JSON.parse(b.expectedJson).name ? -1 : 1));
      const expected = `{"success":true,"data":{"items":[${byName.map((legacy) => legacy.expectedJson).join(',')}],"total":3,"page":1,"limit":1000}}`;
      for (const coding of ['identity', 'gzip', 'br']) {
        const reply = await rawGet(`${api.url}/api/assets?sortBy=name&sortOrder=asc&limit=1000`, { 'Accept-Encoding': coding });
        expect(reply.status).to.equal(200);
        expect(reply.headers['content-type']).to.equal('application/json; charset=utf-8');
        expect(decoded(reply).toString('utf8'), coding).to.equal(expected);
        expect(Number(reply.headers['content-length'])).to.equal(reply.body.length);
      }
    });

    it('keep total, page, limit and the next cursor after the items', async () => {
      const reply = await rawGet(`${api.url}/api/assets?sortBy=name&sortOrder=asc&limit=2`);
      const text = decoded(reply).toString('utf8');
      const cursor = (JSON.parse(text) as { data: Page }).data.nextCursor;
      expect(cursor).to.be.a('string');
      const byName = [...legacyAssets].sort((a, b) => (JSON.parse(a.expectedJson).name < JSON.parse(b.expectedJson).name ? -1 : 1));
      expect(text).to.equal(
        `{"success":true,"data":{"items":[${byName
          .slice(0, 2)
          .map((legacy) => legacy.expectedJson)
          .join(',')}],"total":3,"page":1,"limit":2,"nextCursor":${JSON.stringify(cursor)}}}`,
      );
    });
  });

  describe('shared reads', () => {
    beforeEach(() => seedLegacyAssetCollection(testFirestore(), 'assets', 150));

    it('gives 20 identical pages in flight together one read and the same bytes', async () => {
      const url = `${api.url}/api/assets?page=1&limit=150&sortBy=createdAt`;
      const replies = await Promise.all(Array.from({ length: 20 }, () => rawGet(url, BROWSER)));
      expect(replies.map((reply) => reply.status)).to.deep.equal(Array(20).fill(200));
      // One read of the page: its 150 documents (no more follow) and the count.
      expect(replies.reduce((sum, reply) => sum + readsOf(reply), 0)).to.equal(151);
      const bodies = new Set(replies.map((reply) => decoded(reply).toString('base64')));
      expect(bodies.size).to.equal(1);
      expect(new Set(replies.map((reply) => reply.headers['etag'])).size).to.equal(1);
    });

    it('shows a write made through this instance in the next page at once, though a shared page is young', async () => {
      const url = `${api.url}/api/assets?page=1&limit=151`;
      const before = await rawGet(url);
      expect(readsOf(before)).to.be.above(0);
      expect(readsOf(await rawGet(url))).to.equal(0);
      const target = (JSON.parse(decoded(before).toString()) as { data: Page }).data.items[0]!;
      const put = await call(api.url, 'PUT', `/api/assets/${target.id}`, { token: TOKENS.editor, json: { description: 'changed through this instance' } });
      expect(put.status, put.text).to.equal(200);
      const after = await rawGet(url);
      expect(readsOf(after)).to.be.above(0);
      expect((JSON.parse(decoded(after).toString()) as { data: Page }).data.items.find((item) => item.id === target.id)!.description).to.equal(
        'changed through this instance',
      );
    });

    it('may serve a page older than a write through another instance, within LISTING_SHARE_MS; no-cache reads afresh', async () => {
      const url = `${api.url}/api/assets?page=1&limit=152`;
      const before = await rawGet(url);
      const target = (JSON.parse(decoded(before).toString()) as { data: Page }).data.items[0]!;
      const put = await call(other.url, 'PUT', `/api/assets/${target.id}`, { token: TOKENS.editor, json: { description: 'changed elsewhere' } });
      expect(put.status, put.text).to.equal(200);
      const descriptionIn = (reply: RawReply) =>
        (JSON.parse(decoded(reply).toString()) as { data: Page }).data.items.find((item) => item.id === target.id)!.description;
      // This instance did not see the write: its young page is still shared (docs/frontend.md states the bound).
      const shared = await rawGet(url);
      expect(readsOf(shared)).to.equal(0);
      expect(descriptionIn(shared)).to.equal(target.description);
      // The frontend's refresh asks for a fresh answer, and gets one.
      const refreshes: Array<Record<string, string>> = [{ 'Cache-Control': 'no-cache, no-store, must-revalidate', Pragma: 'no-cache' }, { Pragma: 'no-cache' }];
      for (const headers of refreshes) {
        const fresh = await rawGet(url, headers);
        expect(readsOf(fresh)).to.be.above(0);
        expect(descriptionIn(fresh)).to.equal('changed elsewhere');
      }
      // And later requests share that fresh read.
      const after = await rawGet(url);
      expect(readsOf(after)).to.equal(0);
      expect(descriptionIn(after)).to.equal('changed elsewhere');
    });

    it('never shares pages of fewer than 100 items', async () => {
      const url = `${api.url}/api/assets?page=1&limit=99`;
      const replies = await Promise.all(Array.from({ length: 3 }, () => rawGet(url)));
      expect(replies.map(readsOf)).to.deep.equal([101, 101, 101]);
    });
  });

  describe('without sharing (LISTING_SHARE_MS=0)', () => {
    const unshared = useApi({ LISTING_SHARE_MS: '0' });
    beforeEach(() => seedLegacyAssetCollection(testFirestore(), 'assets', 120));

    it('reads once per request', async () => {
      const replies = await Promise.all(Array.from({ length: 4 }, () => rawGet(`${unshared.url}/api/assets?limit=120`)));
      expect(replies.map(readsOf)).to.deep.equal([121, 121, 121, 121]);
    });
  });

  describe('ETags and 304', () => {
    beforeEach(seedLegacyAssets);

    it('gives a listing an ETag, the same in every coding, and answers 304 to If-None-Match', async () => {
      const url = `${api.url}/api/assets?limit=10`;
      const first = await rawGet(url, BROWSER);
      const etag = first.headers['etag'] as string;
      expect(etag).to.match(/^"[A-Za-z0-9_-]{27}"$/);
      expect((await rawGet(url, { 'Accept-Encoding': 'identity' })).headers['etag']).to.equal(etag);
      for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const again = await rawGet(url, { ...BROWSER, 'If-None-Match': ifNoneMatch });
        expect(again.status, ifNoneMatch).to.equal(304);
        expect(again.body.length).to.equal(0);
        expect(again.headers['etag']).to.equal(etag);
        expect(again.headers['vary']).to.match(/Accept-Encoding/);
      }
      const viaPost = await call(api.url, 'POST', '/api/assets/search', { json: { limit: 10 }, headers: { 'If-None-Match': etag } });
      expect(viaPost.status).to.equal(304);
    });

    it('changes the ETag when the page changes, and answers 200 to the old one', async () => {
      const url = `${api.url}/api/assets?limit=11`;
      const etag = (await rawGet(url)).headers['etag'] as string;
      const put = await call(api.url, 'PUT', `/api/assets/${legacyAssets[0]!.id}`, { token: TOKENS.editor, json: { description: 'new words' } });
      expect(put.status, put.text).to.equal(200);
      const after = await rawGet(url, { 'If-None-Match': etag });
      expect(after.status).to.equal(200);
      expect(after.headers['etag']).to.not.equal(etag);
    });
  });

  describe('compression of other answers', () => {
    beforeEach(seedLegacyAssets);

    it('compresses bodies of 1 KiB or more by Accept-Encoding, leaves small ones, and says Vary: Accept-Encoding', async () => {
      const big = await rawGet(`${api.url}/api/openapi.json`, { 'Accept-Encoding': 'gzip' });
      expect(big.headers['content-encoding']).to.equal('gzip');
      expect(big.headers['vary']).to.equal('Origin, Accept-Encoding');
      const plain = await rawGet(`${api.url}/api/openapi.json`);
      expect(zlib.gunzipSync(big.body).equals(plain.body)).to.equal(true);
      expect(big.body.length / plain.body.length).to.be.below(0.2);
      const small = await rawGet(`${api.url}/api/health`, BROWSER);
      expect(small.body.length).to.be.below(1024);
      expect(small.headers['content-encoding']).to.equal(undefined);
      expect(small.headers['vary']).to.equal('Origin, Accept-Encoding');
      // An error envelope is JSON like any other answer.
      const missing = await rawGet(`${api.url}/api/assets/nope`, BROWSER);
      expect(missing.status).to.equal(404);
      expect(JSON.parse(decoded(missing).toString()).success).to.equal(false);
    });

    it('keeps the status page HTML, compressed, with its content type', async () => {
      const page = await rawGet(`${api.url}/admin`, { 'Accept-Encoding': 'br' });
      expect(page.status).to.equal(200);
      expect(page.headers['content-type']).to.equal('text/html; charset=utf-8');
      expect(page.headers['content-encoding']).to.equal('br');
      expect(zlib.brotliDecompressSync(page.body).toString()).to.match(/<html/i);
    });

    it('answers a single asset compressed with the ETag of its JSON', async () => {
      const created = await call(api.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        json: { layer: 'S', category: 'POP', subcategory: 'BAS', description: 'A long description. '.repeat(80) },
      });
      expect(created.status, created.text).to.equal(201);
      const id = dataOf<{ id: string }>(created).id;
      const plain = await call(api.url, 'GET', `/api/assets/${id}`, { headers: { 'Accept-Encoding': 'identity' } });
      const compressed = await rawGet(`${api.url}/api/assets/${id}`, { 'Accept-Encoding': 'gzip' });
      expect(compressed.headers['content-encoding']).to.equal('gzip');
      expect(compressed.headers['etag']).to.equal(plain.headers.get('etag'));
      expect(decoded(compressed).toString()).to.equal(plain.text);
      const notModified = await rawGet(`${api.url}/api/assets/${id}`, { 'Accept-Encoding': 'gzip', 'If-None-Match': plain.headers.get('etag')! });
      expect(notModified.status).to.equal(304);
    });
  });
});
