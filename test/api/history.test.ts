import { expect } from 'chai';
import type { Timestamp } from '@google-cloud/firestore';
import { useApi } from '../support/api-server.js';
import { starPayload } from '../support/asset-fixtures.js';
import { testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';

type Asset = Record<string, unknown> & { id: string; name: string };
interface Entry {
  version: string;
  writer: string;
  actor: string | null;
  changedFields: string[];
  beforeScope: string;
  before?: Record<string, unknown>;
}

describe('asset history and revert', function () {
  const api = useApi();

  async function historyOf(id: string, query = ''): Promise<{ items: Entry[]; nextCursor?: string }> {
    const reply = await call(api.url, 'GET', `/api/assets/${id}/history${query}`, { token: TOKENS.editor });
    return dataOf(reply);
  }

  it('records create, update, delete and restore with who, which writer, the fields and the before-image', async () => {
    const created = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ description: 'first' }) });
    const asset = dataOf<Asset>(created);
    await call(api.url, 'PUT', `/api/assets/${asset.id}`, { token: TOKENS.admin, json: { description: 'second' } });
    await call(api.url, 'DELETE', `/api/assets/${asset.id}`, { token: TOKENS.editor });
    await call(api.url, 'POST', `/api/assets/${asset.id}/restore`, { token: TOKENS.admin });
    const { items } = await historyOf(asset.id);
    expect(items.map((entry) => [entry.writer, entry.actor])).to.deep.equal([
      ['restore', 'admin@example.com'],
      ['delete', 'editor@example.com'],
      ['api', 'admin@example.com'],
      ['api', 'editor@example.com'],
    ]);
    const update = items[2]!;
    expect(update.changedFields).to.include('description').and.include('updatedAt');
    expect(update.beforeScope).to.equal('document');
    expect(update.before).to.include({ description: 'first', name: asset.name });
    expect(items[3]!.before, 'a create has no before-image').to.equal(undefined);
    // The stored entry follows the shared schema: one encoded string, a TTL timestamp.
    const stored = (await testFirestore().collection(`assets/${asset.id}/history`).doc(update.version).get()).data()!;
    expect(stored['before']).to.be.a('string');
    expect(stored['expireAt'].toMillis()).to.be.greaterThan(Date.now() + 300 * 24 * 3600 * 1000);
    expect((await call(api.url, 'GET', `/api/assets/${asset.id}/history`)).status, 'editors only').to.equal(401);
  });

  it('keeps only the changed fields of a before-image over the size cap', async () => {
    const asset = dataOf<Asset>(await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ description: 'small' }) }));
    await testFirestore()
      .collection('assets')
      .doc(asset.id)
      .update({ legacyBlob: 'x'.repeat(600 * 1024) });
    await call(api.url, 'PUT', `/api/assets/${asset.id}`, { token: TOKENS.editor, json: { description: 'changed' } });
    const entry = (await historyOf(asset.id)).items[0]!;
    expect(entry.beforeScope).to.equal('changed-fields');
    expect(Object.keys(entry.before!).sort()).to.deep.equal(['description', 'updatedAt']);
    expect(entry.before!['description']).to.equal('small');
  });

  it('pages with a cursor, newest first', async () => {
    const asset = dataOf<Asset>(await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() }));
    for (const description of ['a', 'b', 'c']) await call(api.url, 'PUT', `/api/assets/${asset.id}`, { token: TOKENS.editor, json: { description } });
    const first = await historyOf(asset.id, '?limit=3');
    expect(first.items.map((entry) => entry.before?.['description'])).to.deep.equal(['b', 'a', 'Asset reference Star asset']);
    const second = await historyOf(asset.id, `?limit=3&cursor=${first.nextCursor!}`);
    expect(second.items).to.have.length(1);
    expect(second.nextCursor).to.equal(undefined);
    expect((await call(api.url, 'GET', `/api/assets/${asset.id}/history?cursor=nope`, { token: TOKENS.editor })).status).to.equal(404);
    expect((await call(api.url, 'GET', `/api/assets/${asset.id}/history?limit=0`, { token: TOKENS.editor })).status).to.equal(400);
  });

  it('revert brings a version back through the update path; a stale ETag is 412 and changes nothing', async () => {
    const asset = dataOf<Asset>(
      await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ description: 'original', tags: ['one'] }) }),
    );
    const stale = await call(api.url, 'GET', `/api/assets/${asset.id}`);
    await call(api.url, 'PUT', `/api/assets/${asset.id}`, { token: TOKENS.editor, json: { description: 'changed', tags: ['two'] } });
    const version = (await historyOf(asset.id)).items[0]!.version;
    const refused = await call(api.url, 'POST', `/api/assets/${asset.id}/revert`, {
      token: TOKENS.admin,
      json: { version },
      headers: { 'If-Match': stale.headers.get('etag')! },
    });
    expect(refused.status).to.equal(412);
    expect(dataOf(await call(api.url, 'GET', `/api/assets/${asset.id}`))['description']).to.equal('changed');
    expect((await call(api.url, 'POST', `/api/assets/${asset.id}/revert`, { token: TOKENS.editor, json: { version } })).status).to.equal(403);
    const current = await call(api.url, 'GET', `/api/assets/${asset.id}`);
    const reverted = await call(api.url, 'POST', `/api/assets/${asset.id}/revert`, {
      token: TOKENS.admin,
      json: { version },
      headers: { 'If-Match': current.headers.get('etag')! },
    });
    expect(reverted.status, reverted.text).to.equal(200);
    expect(dataOf(reverted)).to.include({ description: 'original' });
    expect(dataOf<Asset>(reverted)['tags']).to.deep.equal(['one']);
    const latest = (await historyOf(asset.id)).items[0]!;
    expect([latest.writer, latest.actor]).to.deep.equal(['revert', 'admin@example.com']);
    expect((await call(api.url, 'POST', `/api/assets/${asset.id}/revert`, { token: TOKENS.admin, json: { version: 'missing' } })).status).to.equal(404);
    expect((await call(api.url, 'POST', `/api/assets/${asset.id}/revert`, { token: TOKENS.admin, json: {} })).status).to.equal(400);
  });
});

describe('history settings: each API its own, from its configuration', function () {
  // Two APIs in this one process: nothing about history is held process-wide.
  const unrecorded = useApi({ HISTORY_ENABLED: 'false' });
  const weekly = useApi({ HISTORY_RETENTION_DAYS: '7' });

  async function storedEntries(id: string) {
    return (await testFirestore().collection(`assets/${id}/history`).get()).docs.map((snapshot) => snapshot.data());
  }

  it('records nothing where HISTORY_ENABLED=false, and keeps entries HISTORY_RETENTION_DAYS where it records', async () => {
    const quiet = dataOf<Asset>(await call(unrecorded.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ description: 'unrecorded' }) }));
    const kept = dataOf<Asset>(await call(weekly.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ description: 'kept a week' }) }));
    expect(await storedEntries(quiet.id)).to.deep.equal([]);
    const [entry] = await storedEntries(kept.id);
    const days = ((entry!['expireAt'] as Timestamp).toMillis() - (entry!['at'] as Timestamp).toMillis()) / (24 * 60 * 60 * 1000);
    expect(days).to.equal(7);
  });
});
