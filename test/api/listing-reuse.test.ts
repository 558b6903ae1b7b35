/**
 * A listing keeps each asset's view between answers by the asset's revision, Firestore's update time
 * (functions/api/listing-bytes.ts): every write shows in the next listing, including one that leaves
 * `updatedAt` as it was (a migration, a repair by hand), and an unchanged listing keeps its ETag.
 */
import { expect } from 'chai';
import { useApi } from '../support/api-server.js';
import { testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';

interface Page {
  items: Array<{ id: string; name: string; description: string }>;
  total: number;
}

describe('listings reuse the views of unchanged assets', function () {
  const api = useApi({ LISTING_SHARE_MS: '0' });

  async function listing(): Promise<{ page: Page; etag: string }> {
    const reply = await call(api.url, 'GET', '/api/assets?layer=G&limit=10');
    expect(reply.status, reply.text).to.equal(200);
    return { page: dataOf<Page>(reply), etag: String(reply.headers.get('etag')) };
  }

  it('shows each write in the next listing, through the API or straight to Firestore, and keeps the ETag of an unchanged one', async () => {
    const ids: string[] = [];
    for (const word of ['first', 'second', 'third']) {
      const created = await call(api.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        json: { layer: 'G', category: 'Pop', subcategory: 'Base', description: `Reuse ${word}` },
      });
      expect(created.status, created.text).to.equal(201);
      ids.push(dataOf<{ id: string }>(created).id);
    }
    const before = await listing();
    expect(before.page.items.map((item) => item.description)).to.deep.equal(['Reuse third', 'Reuse second', 'Reuse first']);
    expect((await listing()).etag).to.equal(before.etag);

    const patched = await call(api.url, 'PATCH', `/api/assets/${ids[0]}`, { token: TOKENS.editor, json: { description: 'Reuse patched' } });
    expect(patched.status, patched.text).to.equal(200);
    const afterPatch = await listing();
    expect(afterPatch.page.items.map((item) => item.description)).to.deep.equal(['Reuse third', 'Reuse second', 'Reuse patched']);
    expect(afterPatch.etag).not.to.equal(before.etag);

    // A write that leaves updatedAt as it was: only the store's revision tells.
    await testFirestore().collection('assets').doc(ids[1]!).update({ description: 'Reuse repaired' });
    const afterRepair = await listing();
    expect(afterRepair.page.items.map((item) => item.description)).to.deep.equal(['Reuse third', 'Reuse repaired', 'Reuse patched']);

    await testFirestore().collection('assets').doc(ids[2]!).delete();
    const afterDelete = await listing();
    expect(afterDelete.page.items.map((item) => item.description)).to.deep.equal(['Reuse repaired', 'Reuse patched']);
    expect(afterDelete.page.total).to.equal(2);
  });
});
