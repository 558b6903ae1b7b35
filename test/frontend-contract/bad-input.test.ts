/** The frontend's requests with bad input: clear 4xx errors, and nothing changed. */
import { expect } from 'chai';
import { accountCount } from '../support/auth-emulator.js';
import { testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';
import { createAsset, registerUser, useContractServer, type Asset } from './contract-server.js';

async function documentOf(id: string): Promise<Record<string, unknown> | undefined> {
  return (await testFirestore().collection('assets').doc(id).get()).data();
}

describe('frontend contract: bad input is refused clearly and changes nothing', function () {
  this.timeout(120_000);
  const server = useContractServer();

  it('an albumArt string that is not an http(s) URL: 400 naming albumArt.sourceUrl, on create and on update', async () => {
    const song = await createAsset(server.url, { layer: 'G', category: 'POP', subcategory: 'BAS' });
    const before = await documentOf(song.id);
    for (const albumArt of ['javascript:alert(1)', 'ftp://example.com/a.jpg', 'not a url', 'file:///etc/passwd']) {
      const update = await call(server.url, 'PUT', `/api/assets/${song.name}`, { token: TOKENS.editor, json: { albumArt } });
      expect(update.status, albumArt).to.equal(400);
      expect(update.body.error!.details.map((detail) => detail.path)).to.include('albumArt.sourceUrl');
      const create = await call(server.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        json: { layer: 'G', category: 'POP', subcategory: 'BAS', description: 'x', albumArt },
      });
      expect(create.status, albumArt).to.equal(400);
    }
    expect(await documentOf(song.id)).to.deep.equal(before);
    expect((await testFirestore().collection('assets').get()).size).to.equal(1);
  });

  it('album-art fields the pipeline derives (url, status, variants, sha256...): 400 naming each, on create and on update, nothing stored', async () => {
    const song = await createAsset(server.url, { layer: 'G', category: 'POP', subcategory: 'BAS' });
    const before = await documentOf(song.id);
    const derived = {
      url: 'https://tracker.example/pixel.gif?reader=1',
      status: 'ready',
      sha256: 'a'.repeat(64),
      variants: { '500': { jpg: { url: 'https://tracker.example/500.jpg', width: 500, height: 500, bytes: 1 } } },
      placeholder: 'data:image/png;base64,AAAA',
    };
    for (const [field, value] of Object.entries(derived)) {
      const albumArt = { sourceUrl: 'https://is1-ssl.mzstatic.com/image/thumb/a/600x600bb.jpg', [field]: value };
      const update = await call(server.url, 'PUT', `/api/assets/${song.name}`, { token: TOKENS.editor, json: { albumArt } });
      expect(update.status, field).to.equal(400);
      expect(update.body.error!.details.map((detail) => detail.path)).to.deep.equal([`albumArt.${field}`]);
      const create = await call(server.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        json: { layer: 'G', category: 'POP', subcategory: 'BAS', description: 'x', albumArt: JSON.stringify(albumArt) },
      });
      expect(create.status, field).to.equal(400);
      expect(create.body.error!.details.map((detail) => detail.path)).to.deep.equal([`albumArt.${field}`]);
    }
    expect(await documentOf(song.id)).to.deep.equal(before);
    expect((await testFirestore().collection('assets').get()).size).to.equal(1);
    // What a client may say is still taken: the source URL and its hints.
    const hints = { sourceUrl: 'https://is1-ssl.mzstatic.com/image/thumb/a/600x600bb.jpg', source: 'Manual', quality: 'High' };
    const accepted = await call(server.url, 'PUT', `/api/assets/${song.name}`, { token: TOKENS.editor, json: { albumArt: hints } });
    expect(accepted.status, accepted.text).to.equal(200);
    // The default (url) shape shows the object beside the image URL, as albumArtInfo.
    expect(dataOf<Asset>(accepted)['albumArt']).to.equal(hints.sourceUrl);
    expect(dataOf<Asset>(accepted)['albumArtInfo']).to.deep.include(hints);
  });

  it('aiMetadata over its bounds (size, depth, ranges): 400 naming aiMetadata', async () => {
    const asset = await createAsset(server.url, {});
    const before = await documentOf(asset.id);
    const deep = { a: { b: { c: { d: { e: 1 } } } } };
    for (const aiMetadata of [
      { notes: 'x'.repeat(20_000) },
      deep,
      { bpm: -5 },
      { bpm: 'fast' },
      { confidence: 2 },
      { tags: Array.from({ length: 60 }, (_, i) => `t${i}`) },
    ]) {
      const reply = await call(server.url, 'PUT', `/api/assets/${asset.id}`, { token: TOKENS.editor, json: { aiMetadata } });
      expect(reply.status, JSON.stringify(aiMetadata).slice(0, 80)).to.equal(400);
      expect(reply.body.error!.details[0]!.path).to.match(/^aiMetadata/);
    }
    expect(await documentOf(asset.id)).to.deep.equal(before);
    // Unknown keys within the bounds are kept.
    const kept = await call(server.url, 'PUT', `/api/assets/${asset.id}`, {
      token: TOKENS.editor,
      json: { aiMetadata: { mood: 'calm', extra: { model: 'x' } } },
    });
    expect(dataOf<Asset>(kept)['aiMetadata']).to.deep.equal({ mood: 'calm', extra: { model: 'x' } });
  });

  it('limit=1001 on the listing, the search and POST search: 400 naming limit', async () => {
    await createAsset(server.url, {});
    for (const reply of [
      await call(server.url, 'GET', '/api/assets?page=1&limit=1001'),
      await call(server.url, 'GET', '/api/assets?search=pop&limit=1001'),
      await call(server.url, 'POST', '/api/assets/search', { json: { search: 'pop', limit: 1001 } }),
    ]) {
      expect(reply.status).to.equal(400);
      expect(reply.body.error!.details[0]).to.include({ path: 'limit' });
      expect(reply.body.error!.message).to.be.a('string');
    }
    expect((await call(server.url, 'GET', '/api/assets?limit=1000')).status).to.equal(200);
  });

  it('a wrong password: 401 with one message whether or not the email exists; nothing changes', async () => {
    const email = `known-${Date.now()}@example.com`;
    await registerUser(server.url, email, 'right-pass-1');
    const accounts = await accountCount(server.auth);
    const wrong = await call(server.url, 'POST', '/api/auth/login', { json: { email, password: 'wrong-pass-1' } });
    const unknown = await call(server.url, 'POST', '/api/auth/login', { json: { email: `nobody-${Date.now()}@example.com`, password: 'wrong-pass-1' } });
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    expect(wrong.body.error!.message).to.equal(unknown.body.error!.message);
    expect(wrong.body.error!.code).to.equal(unknown.body.error!.code);
    expect(wrong.body.error!.message).to.match(/email or password/i);
    expect(await accountCount(server.auth)).to.equal(accounts);
    expect((await call(server.url, 'POST', '/api/auth/login', { json: { email, password: 'right-pass-1' } })).status).to.equal(200);
    expect((await call(server.url, 'POST', '/api/auth/login', { json: { email } })).status).to.equal(400);
  });

  it('registration with a taken email: 409; the account and its password stay as they were', async () => {
    const email = `taken-${Date.now()}@example.com`;
    const first = await registerUser(server.url, email, 'first-pass-1');
    const accounts = await accountCount(server.auth);
    const again = await call(server.url, 'POST', '/api/auth/register', { json: { username: 'other', email, password: 'second-pass-2' } });
    expect(again.status).to.equal(409);
    expect(again.body.error!.message).to.be.a('string');
    expect(await accountCount(server.auth)).to.equal(accounts);
    const login = await call(server.url, 'POST', '/api/auth/login', { json: { email, password: 'first-pass-1' } });
    expect(dataOf<{ user: { id: string; username: string } }>(login).user).to.include({ id: first.user.id, username: first.user.username });
    expect((await call(server.url, 'POST', '/api/auth/login', { json: { email, password: 'second-pass-2' } })).status).to.equal(401);
    expect((await call(server.url, 'POST', '/api/auth/register', { json: { email: 'not-an-email', password: 'pass-word-1' } })).status).to.equal(400);
    expect((await call(server.url, 'POST', '/api/auth/register', { json: { email: `short-${Date.now()}@example.com`, password: '123' } })).status).to.equal(
      400,
    );
    expect(await accountCount(server.auth)).to.equal(accounts);
  });
});
