import { expect } from 'chai';
import { useApi } from '../support/api-server.js';
import { testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';

interface Page {
  items: Array<Record<string, unknown> & { name: string }>;
  total: number;
  page: number;
  limit: number;
}

/** Seven assets across layers with known creation times, written directly for speed. */
async function seed(): Promise<void> {
  const rows: Array<[string, string, string, string, string, string, string]> = [
    ['S.POP.BAS.001', 'S', 'POP', 'BAS', 'active', '2025-01-01T00:00:00.000Z', 'pop'],
    ['S.POP.BAS.002', 'S', 'POP', 'BAS', 'draft', '2025-01-02T00:00:00.000Z', 'pop'],
    ['S.POP.HPM.001', 'S', 'POP', 'HPM', 'active', '2025-01-03T00:00:00.000Z', 'hip'],
    ['S.RCK.BAS.001', 'S', 'RCK', 'BAS', 'active', '2025-01-04T00:00:00.000Z', 'rock'],
    ['L.CAS.BAS.001', 'L', 'CAS', 'BAS', 'active', '2025-01-05T00:00:00.000Z', 'look'],
    ['G.POP.BAS.001', 'G', 'POP', 'BAS', 'archived', '2025-01-06T00:00:00.000Z', 'song'],
    ['G.POP.BAS.002', 'G', 'POP', 'BAS', 'active', '2025-01-07T00:00:00.000Z', 'song'],
  ];
  const batch = testFirestore().batch();
  rows.forEach(([name, layer, categoryCode, subcategoryCode, status, createdAt, tag], index) => {
    batch.set(testFirestore().collection('assets').doc(`a${index}`), {
      name,
      nna_address: `x.${index}`,
      layer,
      category: categoryCode,
      subcategory: subcategoryCode,
      categoryCode,
      subcategoryCode,
      description: name,
      tags: [tag],
      status,
      createdAt,
      updatedAt: createdAt,
    });
  });
  await batch.commit();
}

describe('GET /api/assets (listing)', function () {
  const api = useApi();
  beforeEach(seed);

  async function list(query: string): Promise<Page> {
    const reply = await call(api.url, 'GET', `/api/assets${query}`);
    expect(reply.status, reply.text).to.equal(200);
    return dataOf<Page>(reply);
  }

  it('lists newest first by default with total, page and limit', async () => {
    const page = await list('');
    expect(page.total).to.equal(7);
    expect(page).to.include({ page: 1, limit: 20 });
    expect(page.items[0]!.name).to.equal('G.POP.BAS.002');
  });

  it('filters by layer, category and subcategory by code or name, and by status', async () => {
    expect((await list('?layer=S')).items.map((item) => item.name)).to.have.members(['S.POP.BAS.001', 'S.POP.BAS.002', 'S.POP.HPM.001', 'S.RCK.BAS.001']);
    expect((await list('?layer=Stars&category=Pop')).total).to.equal(3);
    expect((await list('?layer=S&category=POP&subcategory=Base')).total).to.equal(2);
    expect((await list('?layer=S&category=POP&subcategory=Base&status=draft')).items.map((item) => item.name)).to.deep.equal(['S.POP.BAS.002']);
  });

  it('filters by tags[] and by dates (an end date includes its whole day)', async () => {
    expect((await list('?tags[]=song&tags[]=look')).total).to.equal(3);
    expect((await list('?startDate=2025-01-03&endDate=2025-01-05')).items.map((item) => item.name)).to.deep.equal([
      'L.CAS.BAS.001',
      'S.RCK.BAS.001',
      'S.POP.HPM.001',
    ]);
  });

  it('sorts by name either way and pages without overlap', async () => {
    const first = await list('?sortBy=name&sortOrder=asc&limit=3&page=1');
    const second = await list('?sortBy=name&sortOrder=asc&limit=3&page=2');
    const third = await list('?sortBy=name&sortOrder=asc&limit=3&page=3');
    const names = [...first.items, ...second.items, ...third.items].map((item) => item.name);
    expect(names).to.deep.equal(['G.POP.BAS.001', 'G.POP.BAS.002', 'L.CAS.BAS.001', 'S.POP.BAS.001', 'S.POP.BAS.002', 'S.POP.HPM.001', 'S.RCK.BAS.001']);
    expect(first.total).to.equal(7);
    expect((await list('?sortBy=name&sortOrder=desc&limit=1')).items[0]!.name).to.equal('S.RCK.BAS.001');
  });

  it('answers the same through GET and POST /api/assets/search', async () => {
    const viaGet = dataOf(await call(api.url, 'GET', '/api/assets/search?layer=G'));
    const viaPost = dataOf(await call(api.url, 'POST', '/api/assets/search', { json: { layer: 'G' } }));
    expect(viaPost).to.deep.equal(viaGet);
  });

  for (const [query, path] of [
    ['?limit=0', 'limit'],
    ['?limit=1001', 'limit'],
    ['?limit=ten', 'limit'],
    ['?page=0', 'page'],
    ['?limit=5&limit=6', 'limit'],
    ['?sortBy=size', 'sortBy'],
    ['?sortOrder=up', 'sortOrder'],
    ['?status=gone', 'status'],
    ['?startDate=yesterday', 'startDate'],
    ['?layer=Q', 'layer'],
    ['?category=POP', 'category'],
    ['?layer=S&category=NOPE', 'category'],
  ]) {
    it(`refuses ${query} with 400 naming ${path}`, async () => {
      const reply = await call(api.url, 'GET', `/api/assets${query}`);
      expect(reply.status, reply.text).to.equal(400);
      expect(reply.body.error!.details.map((detail) => detail.path)).to.include(path);
    });
  }

  for (const [query, path, issue] of [
    ['?limit=abc', 'limit', 'must be a whole number, e.g. 20'],
    ['?page=1.5', 'page', 'must be a whole number, e.g. 2'],
    ['?startDate=yesterday', 'startDate', 'must be a date (2025-01-31) or a date-time with its offset (2025-01-31T12:00:00Z)'],
    ['?sortBy=size', 'sortBy', 'must be one of createdAt, updatedAt, name (e.g. createdAt)'],
  ]) {
    it(`explains what ${query} should be, with an example`, async () => {
      const reply = await call(api.url, 'GET', `/api/assets${query}`);
      expect(reply.status, reply.text).to.equal(400);
      expect(reply.body.error!.details).to.deep.equal([{ path, issue }]);
    });
  }
});
