import { expect } from 'chai';
import { useBundledApi } from '../support/bundled-api.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';

interface Asset {
  id: string;
  name: string;
  description: string;
}
interface Page {
  items: Asset[];
  total: number;
}

/**
 * The API's bundle holds its own copy of the Firestore client, with one google-gax for the client
 * and its generated API (scripts/build/bundle-plugins.ts), while every other suite runs dist/ over the
 * installed client. Each kind of call the adapters make goes through the bundle once here:
 * transactions (creation with its sequence number, update with history, deletion), single reads,
 * queries with filters and order, aggregation counts, the search index's array queries, and batched
 * reads and writes.
 */
describe('the API bundle with its bundled Firestore client', function () {
  this.timeout(180_000);
  const api = useBundledApi('bundled-client');

  it('creates, reads, lists, counts, searches, updates and deletes', async () => {
    const created: Asset[] = [];
    for (const word of ['amber', 'birch', 'cedar']) {
      const reply = await call(api.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        json: { layer: 'G', category: 'Pop', subcategory: 'Base', description: `Bundle probe ${word}`, tags: ['bundled', word] },
      });
      expect(reply.status, reply.text).to.equal(201);
      created.push(dataOf<Asset>(reply));
    }
    expect(created.map((asset) => asset.name)).to.deep.equal(['G.POP.BAS.001', 'G.POP.BAS.002', 'G.POP.BAS.003']);

    const one = await call(api.url, 'GET', `/api/assets/${created[1]!.id}`);
    expect(one.status, one.text).to.equal(200);
    expect(dataOf<Asset>(one).description).to.equal('Bundle probe birch');
    expect((await call(api.url, 'GET', `/api/assets/nna/${created[2]!.name}`)).status).to.equal(200);

    const page = await call(api.url, 'GET', '/api/assets?layer=G&category=Pop&limit=2');
    expect(page.status, page.text).to.equal(200);
    expect(dataOf<Page>(page).total).to.equal(3);
    expect(dataOf<Page>(page).items.map((asset) => asset.name)).to.deep.equal(['G.POP.BAS.003', 'G.POP.BAS.002']);

    const oneWord = await call(api.url, 'GET', '/api/assets?search=probe&layer=G');
    expect(dataOf<Page>(oneWord).total, oneWord.text).to.equal(3);
    const twoWords = await call(api.url, 'GET', '/api/assets?search=probe%20cedar');
    expect(
      dataOf<Page>(twoWords).items.map((asset) => asset.name),
      twoWords.text,
    ).to.deep.equal(['G.POP.BAS.003']);

    const updated = await call(api.url, 'PATCH', `/api/assets/${created[0]!.id}`, { token: TOKENS.editor, json: { description: 'Bundle probe oak' } });
    expect(updated.status, updated.text).to.equal(200);
    const history = await call(api.url, 'GET', `/api/assets/${created[0]!.id}/history`, { token: TOKENS.editor });
    expect(history.status, history.text).to.equal(200);
    expect((await call(api.url, 'GET', '/api/assets?search=oak')).text).to.include('G.POP.BAS.001');

    const deleted = await call(api.url, 'DELETE', `/api/assets/${created[0]!.id}`, { token: TOKENS.editor });
    expect(deleted.status, deleted.text).to.be.oneOf([200, 204]);
    expect((await call(api.url, 'GET', `/api/assets/${created[0]!.id}`)).status).to.equal(404);
    expect(dataOf<Page>(await call(api.url, 'GET', '/api/assets?layer=G')).total).to.equal(2);

    expect((await call(api.url, 'GET', '/api/admin/flags', { token: TOKENS.admin })).status).to.equal(200);
    expect((await call(api.url, 'GET', '/api/health/ready')).status).to.equal(200);
    expect(api.running()).to.equal(true);
  });
});
