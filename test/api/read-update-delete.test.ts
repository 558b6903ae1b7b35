import { expect } from 'chai';
import { useApi } from '../support/api-server.js';
import { starPayload } from '../support/asset-fixtures.js';
import { snapshotCollection } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';

type Asset = Record<string, unknown> & { id: string; name: string };

describe('reading, updating and deleting assets', function () {
  const api = useApi();

  async function create(overrides: Record<string, unknown> = {}): Promise<{ asset: Asset; etag: string }> {
    const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload(overrides) });
    return { asset: dataOf<Asset>(reply), etag: reply.headers.get('etag')! };
  }

  it('GET returns the asset with an ETag, and 304 for a matching If-None-Match', async () => {
    const { asset, etag } = await create();
    const reply = await call(api.url, 'GET', `/api/assets/${asset.id}`);
    expect(reply.status).to.equal(200);
    expect(reply.headers.get('etag')).to.equal(etag);
    expect(dataOf(reply)).to.deep.equal(asset);
    const cached = await call(api.url, 'GET', `/api/assets/${asset.id}`, { headers: { 'If-None-Match': etag } });
    expect(cached.status).to.equal(304);
  });

  it('GET of a missing asset is 404 in the envelope', async () => {
    const reply = await call(api.url, 'GET', '/api/assets/doesNotExist');
    expect(reply.status).to.equal(404);
    expect(reply.body).to.deep.equal({ success: false, error: { code: 'NOT_FOUND', message: 'Asset doesNotExist does not exist', details: [] } });
  });

  it('finds an asset by HFN or MFA; an invalid address is 400, an unused one 404', async () => {
    const { asset } = await create();
    for (const address of ['S.POP.BAS.001', 's.pop.bas.001', '2.001.001.001']) {
      expect(dataOf(await call(api.url, 'GET', `/api/assets/nna/${address}`))['id'], address).to.equal(asset.id);
    }
    const invalid = await call(api.url, 'GET', '/api/assets/nna/S.POP.XXX.001');
    expect(invalid.status).to.equal(400);
    expect(invalid.body.error!.details[0]!.path).to.equal('address');
    expect((await call(api.url, 'GET', '/api/assets/nna/S.POP.BAS.002')).status).to.equal(404);
  });

  it('PUT updates the named fields only and changes the ETag', async () => {
    const { asset, etag } = await create({ creatorDescription: 'first words' });
    const reply = await call(api.url, 'PUT', `/api/assets/${asset.id}`, {
      token: TOKENS.editor,
      json: { name: asset.name, description: 'changed', tags: ['x', 'x', 'y'], metadata: { humanFriendlyName: 'spoof', mood: 'happy' } },
    });
    expect(reply.status, reply.text).to.equal(200);
    const updated = dataOf<Asset>(reply);
    expect(updated).to.include({ description: 'changed', creatorDescription: 'first words', name: 'S.POP.BAS.001' });
    expect(updated['tags']).to.deep.equal(['x', 'y']);
    expect(updated['metadata']).to.deep.equal({ humanFriendlyName: 'S.POP.BAS.001', machineFriendlyAddress: '2.001.001.001', mood: 'happy' });
    expect(reply.headers.get('etag')).not.to.equal(etag);
  });

  it('PATCH with a new subcategory re-addresses the asset with the next number there', async () => {
    await create({ subcategory: 'HPM' });
    const { asset } = await create();
    const reply = await call(api.url, 'PATCH', `/api/assets/${asset.id}`, { token: TOKENS.editor, json: { subcategory: 'HPM' } });
    const moved = dataOf<Asset>(reply);
    expect(moved).to.include({ name: 'S.POP.HPM.002', nna_address: 'S.001.007.002', mfa: '2.001.007.002', subcategoryCode: 'HPM' });
    expect(dataOf(await call(api.url, 'GET', '/api/assets/nna/S.POP.HPM.002'))['id']).to.equal(asset.id);
  });

  it('refuses a stale If-Match with 412 and changes nothing', async () => {
    const { asset, etag } = await create();
    await call(api.url, 'PUT', `/api/assets/${asset.id}`, { token: TOKENS.editor, json: { description: 'someone else' }, headers: { 'If-Match': etag } });
    const before = await snapshotCollection('assets');
    const stale = await call(api.url, 'PUT', `/api/assets/${asset.id}`, { token: TOKENS.editor, json: { description: 'mine' }, headers: { 'If-Match': etag } });
    expect(stale.status).to.equal(412);
    expect(stale.body.error!.code).to.equal('PRECONDITION_FAILED');
    const staleDelete = await call(api.url, 'DELETE', `/api/assets/${asset.id}`, { token: TOKENS.editor, headers: { 'If-Match': etag } });
    expect(staleDelete.status).to.equal(412);
    expect(await snapshotCollection('assets')).to.deep.equal(before);
  });

  it('refuses bad updates with 400 naming each field, changing nothing', async () => {
    const { asset } = await create();
    const before = await snapshotCollection('assets');
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ name: 'S.POP.BAS.999' }, ['name']],
      [{}, ['(body)']],
      [{ subcategory: 'NOPE' }, ['subcategory']],
      [{ layer: 'C' }, ['category']],
      [{ description: '', status: 'gone', creatorDescription: 'y'.repeat(501) }, ['description', 'creatorDescription', 'status']],
      [{ metadata: { deep: [[1]] }, trainingData: { prompts: 'not a list' } }, ['trainingData.prompts', 'metadata']],
    ];
    for (const [body, paths] of cases) {
      const reply = await call(api.url, 'PUT', `/api/assets/${asset.id}`, { token: TOKENS.editor, json: body });
      expect(reply.status, JSON.stringify(body)).to.equal(400);
      expect(
        reply.body.error!.details.map((detail) => detail.path),
        JSON.stringify(body),
      ).to.deep.equal(paths);
    }
    expect(await snapshotCollection('assets')).to.deep.equal(before);
  });

  it('refuses writes by readers and anonymous callers, changing nothing', async () => {
    const { asset } = await create();
    const before = await snapshotCollection('assets');
    expect((await call(api.url, 'PUT', `/api/assets/${asset.id}`, { json: { description: 'x' } })).status).to.equal(401);
    expect((await call(api.url, 'PUT', `/api/assets/${asset.id}`, { token: TOKENS.reader, json: { description: 'x' } })).status).to.equal(403);
    expect((await call(api.url, 'DELETE', `/api/assets/${asset.id}`)).status).to.equal(401);
    expect((await call(api.url, 'DELETE', `/api/assets/${asset.id}`, { token: TOKENS.reader })).status).to.equal(403);
    expect(await snapshotCollection('assets')).to.deep.equal(before);
  });

  it('answers 404, not a database error, for ids Firestore cannot hold, changing nothing', async () => {
    await create();
    const before = await snapshotCollection('assets');
    // `.` and `..` cannot be sent as a path segment (URLs normalize them); the unit test covers them.
    for (const id of ['%2F', 'a%2Fb', '__name__', 'x'.repeat(1501)]) {
      expect((await call(api.url, 'GET', `/api/assets/${id}`)).status, id).to.equal(404);
      expect((await call(api.url, 'PUT', `/api/assets/${id}`, { token: TOKENS.editor, json: { description: 'x' } })).status, id).to.equal(404);
      expect((await call(api.url, 'DELETE', `/api/assets/${id}`, { token: TOKENS.editor })).status, id).to.equal(404);
    }
    expect(await snapshotCollection('assets')).to.deep.equal(before);
  });

  it('PUT and DELETE of a missing asset are 404', async () => {
    expect((await call(api.url, 'PUT', '/api/assets/missing', { token: TOKENS.editor, json: { description: 'x' } })).status).to.equal(404);
    expect((await call(api.url, 'DELETE', '/api/assets/missing', { token: TOKENS.editor })).status).to.equal(404);
  });

  it('DELETE with a current If-Match removes the asset; admins may write too', async () => {
    const { asset, etag } = await create();
    const reply = await call(api.url, 'DELETE', `/api/assets/${asset.id}`, { token: TOKENS.admin, headers: { 'If-Match': etag } });
    expect(reply.status).to.equal(200);
    expect(dataOf(reply)).to.include({ id: asset.id, deleted: true });
    expect((await call(api.url, 'GET', `/api/assets/${asset.id}`)).status).to.equal(404);
  });
});

describe('routing', function () {
  const api = useApi({ PUBLIC_READS: 'false' });

  it('answers unknown paths with 404 and wrong methods with 405 and Allow, in the envelope', async () => {
    const missing = await call(api.url, 'GET', '/api/nothing');
    expect(missing.status).to.equal(404);
    expect(missing.body.success).to.equal(false);
    const wrong = await call(api.url, 'DELETE', '/api/assets', { token: TOKENS.editor });
    expect(wrong.status).to.equal(405);
    expect(wrong.headers.get('allow')).to.equal('GET, POST');
  });

  it('answers CORS preflights', async () => {
    const reply = await call(api.url, 'OPTIONS', '/api/assets');
    expect(reply.status).to.equal(204);
    expect(reply.headers.get('access-control-allow-headers')).to.match(/If-Match/);
  });

  it('requires a token for reads when reads are not public, but not for health and taxonomy', async () => {
    expect((await call(api.url, 'GET', '/api/assets')).status).to.equal(401);
    expect((await call(api.url, 'GET', '/api/assets', { token: TOKENS.reader })).status).to.equal(200);
    const health = await call(api.url, 'GET', '/api/health');
    expect(health.status).to.equal(200);
    expect(health.headers.get('content-type')).to.match(/application\/json/);
    expect((await call(api.url, 'GET', '/api/taxonomy/layers')).status).to.equal(200);
  });
});
