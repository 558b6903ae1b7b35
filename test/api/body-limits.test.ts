/**
 * Body limits per route, read after authentication: an anonymous client cannot make the API hold a
 * large body (413 by declared length before a byte of it is read, 401 before an upload is read), a
 * JSON write holds what the largest valid asset needs, a form's file is the only large part.
 */
import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { largestValidAsset } from '../../scripts/lib/largest-asset.js';
import { formOf, starPayload } from '../support/asset-fixtures.js';
import { useApi } from '../support/api-server.js';
import { snapshotCollection } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { chunkedRequest, partialRequest } from '../support/partial-request.js';
import { pngImage } from '../support/sample-uploads.js';
import { TOKENS } from '../support/test-environment.js';

const MIB = 1024 * 1024;
const SEARCH_LIMIT = 64 * 1024;
const JSON_WRITE_LIMIT = MIB;

describe('request body limits per route', function () {
  this.timeout(60_000);
  const api = useApi();

  it('answers an anonymous search announcing 29 MiB with 413 before reading it', async () => {
    const reply = await partialRequest(api.url, {
      method: 'POST',
      path: '/api/assets/search',
      headers: { 'content-type': 'application/json' },
      declaredBytes: 29 * MIB,
      sent: Buffer.from('{"search":"'),
    });
    expect(reply.status, reply.body).to.equal(413);
    expect(JSON.parse(reply.body)).to.deep.include({ success: false });
    expect(JSON.parse(reply.body).error.message).to.equal(`The request body exceeds the limit of ${SEARCH_LIMIT} bytes (64 KiB) for this route`);
  });

  it('answers anonymous writes and uploads announcing 29 MiB with 401 before reading them', async () => {
    for (const [path, type] of [
      ['/api/assets', 'application/json'],
      ['/api/assets', 'multipart/form-data; boundary=x'],
      ['/api/assets/upload', 'multipart/form-data; boundary=x'],
    ] as const) {
      const reply = await partialRequest(api.url, {
        method: 'POST',
        path,
        headers: { 'content-type': type },
        declaredBytes: 29 * MIB,
        sent: Buffer.from('--x'),
      });
      expect(reply.status, `${path} ${type}: ${reply.body}`).to.equal(401);
    }
  });

  it('answers a body to a path without a route (or a method it lacks) without reading it', async () => {
    for (const [method, path] of [
      ['POST', '/'],
      ['POST', '/api/nowhere'],
      ['DELETE', '/api/taxonomy/layers'],
    ] as const) {
      const reply = await partialRequest(api.url, {
        method,
        path,
        headers: { 'content-type': 'application/json' },
        declaredBytes: 29 * MIB,
        sent: Buffer.from('{'),
      });
      expect([404, 405], `${method} ${path}: ${reply.body}`).to.include(reply.status);
    }
  });

  it('reads a search body up to 64 KiB and refuses a larger one sent in chunks (no Content-Length)', async () => {
    const small = await call(api.url, 'POST', '/api/assets/search', { json: { search: 'x'.repeat(200), limit: 5 } });
    expect(small.status, small.text).to.equal(200);
    const chunks = Array.from({ length: 40 }, (_, index) => Buffer.from(index === 0 ? '{"search":"' : 'y'.repeat(2048)));
    const reply = await chunkedRequest(api.url, { method: 'POST', path: '/api/assets/search', headers: { 'content-type': 'application/json' }, chunks });
    expect(reply.status, reply.body).to.equal(413);
  });

  it('holds a compressed body to the limit once decompressed', async () => {
    const bomb = gzipSync(Buffer.from(JSON.stringify({ search: 'z'.repeat(2 * SEARCH_LIMIT) })));
    expect(bomb.length).to.be.lessThan(SEARCH_LIMIT / 8);
    const reply = await call(api.url, 'POST', '/api/assets/search', {
      body: bomb,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(reply.status, reply.text).to.equal(413);
    const fine = await call(api.url, 'POST', '/api/assets/search', {
      body: gzipSync(Buffer.from(JSON.stringify({ search: 'pop' }))),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(fine.status, fine.text).to.equal(200);
  });

  it('stores the largest valid asset sent as JSON, and refuses a JSON write over 1 MiB with 413, storing nothing', async () => {
    const largest = largestValidAsset();
    const bytes = Buffer.byteLength(JSON.stringify(largest));
    expect(bytes).to.be.within(0.6 * MIB, JSON_WRITE_LIMIT);
    const stored = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: largest });
    expect(stored.status, stored.text.slice(0, 300)).to.equal(201);
    const tooLarge = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: { ...largest, extra: 'x'.repeat(JSON_WRITE_LIMIT) } });
    expect(tooLarge.status, tooLarge.text.slice(0, 300)).to.equal(413);
    expect(tooLarge.body.error!.message).to.equal(`The request body exceeds the limit of ${JSON_WRITE_LIMIT} bytes (1 MiB) for this route`);
    const update = await call(api.url, 'PUT', `/api/assets/${dataOf<{ id: string }>(stored).id}`, {
      token: TOKENS.editor,
      json: { description: 'x'.repeat(JSON_WRITE_LIMIT) },
    });
    expect(update.status, update.text.slice(0, 300)).to.equal(413);
    expect(Object.keys(await snapshotCollection('assets'))).to.have.length(1);
  });

  it('streams a large upload into the store, and holds the form’s other fields to the JSON limit', async () => {
    const png = await pngImage();
    const large = Buffer.concat([png, Buffer.alloc(20 * MIB)]);
    const uploaded = await call(api.url, 'POST', '/api/assets', {
      token: TOKENS.editor,
      body: formOf(starPayload(), { name: 'large.png', type: 'image/png', bytes: large }),
    });
    expect(uploaded.status, uploaded.text.slice(0, 300)).to.equal(201);
    expect(dataOf<{ files: Array<{ size: number }> }>(uploaded).files[0]!.size).to.equal(large.length);
    const fieldsTooLarge = await call(api.url, 'POST', '/api/assets', {
      token: TOKENS.editor,
      body: formOf({ ...starPayload(), description: 'd'.repeat(600 * 1024), note: 'n'.repeat(600 * 1024) }, { name: 'a.png', type: 'image/png', bytes: png }),
    });
    expect(fieldsTooLarge.status, fieldsTooLarge.text.slice(0, 300)).to.equal(413);
    expect(Object.keys(await snapshotCollection('assets'))).to.have.length(1);
  });
});
