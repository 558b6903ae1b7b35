import { expect } from 'chai';
import { searchIndexOf, withSearchIndex } from '../../functions/domain/search/search-terms.js';
import type { StoredAssetDocument } from '../../functions/domain/stored-asset.js';
import { starPayload } from '../support/asset-fixtures.js';
import { useApi } from '../support/api-server.js';
import { snapshotCollection, testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';

interface Item extends Record<string, unknown> {
  id: string;
  name: string;
}

interface Page {
  items: Item[];
  total: number;
  page: number;
  limit: number;
  nextCursor?: string;
  totalIsLowerBound?: true;
}

/** An asset document as the registry writes it (search index included), with a chosen creation time. */
function documentOf(name: string, createdAt: string, fields: Partial<StoredAssetDocument> = {}): StoredAssetDocument {
  const [layer = 'S', categoryCode = 'POP', subcategoryCode = 'BAS'] = name.split('.');
  return withSearchIndex({
    name,
    nna_address: `2.001.001.${name.slice(-3)}`,
    layer,
    category: categoryCode,
    subcategory: subcategoryCode,
    categoryCode,
    subcategoryCode,
    description: '',
    tags: [],
    status: 'active',
    createdAt,
    updatedAt: createdAt,
    ...fields,
  });
}

async function seed(documents: Record<string, StoredAssetDocument>): Promise<void> {
  const db = testFirestore();
  const entries = Object.entries(documents);
  for (let start = 0; start < entries.length; start += 400) {
    const batch = db.batch();
    for (const [id, document] of entries.slice(start, start + 400)) batch.set(db.collection('assets').doc(id), document);
    await batch.commit();
  }
}

function day(n: number): string {
  return new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString();
}

describe('search (GET and POST /api/assets/search, GET /api/assets?search=)', function () {
  const api = useApi();

  async function search(query: string, path = '/api/assets'): Promise<Page> {
    const reply = await call(api.url, 'GET', `${path}?${query}`);
    expect(reply.status, reply.text).to.equal(200);
    return dataOf<Page>(reply);
  }

  const names = (page: Page): string[] => page.items.map((item) => item.name);

  async function create(fields: Record<string, unknown>): Promise<Item> {
    const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload(fields) });
    expect(reply.status, reply.text).to.equal(201);
    return dataOf<Item>(reply);
  }

  describe('the index kept on every write', () => {
    it('indexes the song fields and finds by prefixes of several words', async () => {
      const asset = await create({
        description: 'A cover',
        extractedSongData: { songName: 'Bohemian Rhapsody', artistName: 'Queen', albumName: 'A Night at the Opera' },
      });
      const stored = (await testFirestore().collection('assets').doc(asset.id).get()).data() as StoredAssetDocument;
      expect(stored._sys!.search).to.deep.equal(searchIndexOf(stored));
      expect(stored._sys!.search).to.include('s:bohem*');
      expect(names(await search('search=bohem%20rhaps'))).to.deep.equal([asset.name]);
      expect(names(await search('search=QUEEN%20opéra'))).to.deep.equal([asset.name]);
      expect(asset).not.to.have.property('_sys');
    });

    it('updates the index when searchable fields change, and gives legacy documents one on their first write', async () => {
      const asset = await create({ description: 'Crème brûlée', tags: ['dessert'] });
      expect(names(await search('search=creme%20brul'))).to.deep.equal([asset.name]);
      const updated = await call(api.url, 'PUT', `/api/assets/${asset.id}`, { token: TOKENS.editor, json: { description: 'Tarte tatin', tags: ['pie'] } });
      expect(updated.status, updated.text).to.equal(200);
      expect((await search('search=creme')).total).to.equal(0);
      expect((await search('search=dessert')).total).to.equal(0);
      expect(names(await search('search=TATIN%20pie'))).to.deep.equal([asset.name]);

      const { _sys, ...legacy } = documentOf('S.POP.BAS.900', day(1), { description: 'Old legacy song' });
      expect(_sys).to.not.equal(undefined);
      await testFirestore().collection('assets').doc('legacy-1').set(legacy);
      expect((await search('search=legacy')).total).to.equal(0);
      const touched = await call(api.url, 'PATCH', '/api/assets/legacy-1', { token: TOKENS.editor, json: { tags: ['vintage'] } });
      expect(touched.status, touched.text).to.equal(200);
      expect(touched.body.data).not.to.have.property('_sys');
      expect(names(await search('search=legacy%20vint'))).to.deep.equal(['S.POP.BAS.900']);
    });
  });

  describe('over a seeded registry', () => {
    beforeEach(() =>
      seed({
        a1: documentOf('S.POP.BAS.001', day(1), { description: 'Bohemian Rhapsody live', tags: ['rock'] }),
        a2: documentOf('S.POP.BAS.002', day(2), { description: 'Rhapsody in blue', tags: ['jazz'], status: 'draft' }),
        a3: documentOf('S.RCK.BAS.001', day(3), {
          description: 'Bohemian Rhapsody',
          tags: ['bohemian', 'rock'],
          extractedSongData: { songName: 'Bohemian Rhapsody', artistName: 'Queen' },
        }),
        a4: documentOf('G.POP.BAS.001', day(4), { description: 'Bohemian rhapsody karaoke', tags: ['karaoke'] }),
        a5: documentOf('L.CAS.BAS.001', day(5), { description: 'A café look', creatorDescription: 'Bohemian style outfit' }),
        a6: documentOf('S.POP.HPM.001', day(6), { description: 'Naïve Ça', tags: ['pop'] }),
      }),
    );

    it('ranks by the best field holding a match (name, tags, creatorDescription, description), then newest', async () => {
      // a3 holds the word in its tags, a5 in its creatorDescription, the others in the description only.
      expect(names(await search('search=bohem%20rhaps'))).to.deep.equal(['S.RCK.BAS.001', 'G.POP.BAS.001', 'S.POP.BAS.001']);
      expect(names(await search('search=bohemian'))).to.deep.equal(['S.RCK.BAS.001', 'L.CAS.BAS.001', 'G.POP.BAS.001', 'S.POP.BAS.001']);
    });

    it('folds accents both ways', async () => {
      expect(names(await search('search=naive%20ca'))).to.deep.equal(['S.POP.HPM.001']);
      expect(names(await search('search=CAFÉ'))).to.deep.equal(['L.CAS.BAS.001']);
      expect(names(await search('search=cafe'))).to.deep.equal(['L.CAS.BAS.001']);
    });

    it('combines words with layer, category, subcategory, status, tags and dates', async () => {
      expect(names(await search('search=rhapsody&layer=S'))).to.deep.equal(['S.RCK.BAS.001', 'S.POP.BAS.002', 'S.POP.BAS.001']);
      expect(names(await search('search=rhapsody&layer=S&category=POP'))).to.deep.equal(['S.POP.BAS.002', 'S.POP.BAS.001']);
      expect(names(await search('search=rhapsody&layer=S&category=POP&subcategory=BAS&status=draft'))).to.deep.equal(['S.POP.BAS.002']);
      // All three hold the word in their description only: newest first.
      expect(names(await search('search=rhapsody&tags[]=rock&tags[]=karaoke'))).to.deep.equal(['G.POP.BAS.001', 'S.RCK.BAS.001', 'S.POP.BAS.001']);
      expect(names(await search(`search=rhapsody&startDate=${day(2).slice(0, 10)}&endDate=${day(3).slice(0, 10)}`))).to.deep.equal([
        'S.RCK.BAS.001',
        'S.POP.BAS.002',
      ]);
      expect((await search('search=rhapsody&layer=L')).total).to.equal(0);
    });

    it('finds an asset by its HFN or MFA typed in the search box, first', async () => {
      for (const typed of ['S.POP.BAS.002', 's.pop.bas.002', '2.001.001.002']) {
        const page = await search(`search=${encodeURIComponent(typed)}`, '/api/assets/search');
        expect(page.items[0]!.name, typed).to.equal('S.POP.BAS.002');
      }
      // An address that passes no filter is not forced in.
      expect(names(await search('search=S.POP.BAS.002&status=active'))).not.to.include('S.POP.BAS.002');
    });

    it('pages ranked results without overlap, by page number and by cursor alike', async () => {
      const all = names(await search('search=rhaps&limit=100'));
      expect(all).to.have.length(4);
      const byPage = [...names(await search('search=rhaps&limit=3&page=1')), ...names(await search('search=rhaps&limit=3&page=2'))];
      expect(byPage).to.deep.equal(all);
      const first = await search('search=rhaps&limit=3');
      expect(first.nextCursor).to.be.a('string');
      const second = await search(`search=rhaps&limit=3&cursor=${first.nextCursor}`);
      expect(second.page).to.equal(2);
      expect(second.nextCursor).to.equal(undefined);
      expect([...names(first), ...names(second)]).to.deep.equal(all);
      // An asset created between pages does not shift the cursor's page.
      await seed({ a9: documentOf('S.POP.BAS.009', day(9), { description: 'Rhapsody new' }) });
      expect(names(await search(`search=rhaps&limit=3&cursor=${first.nextCursor}`))).to.deep.equal(names(second));
    });

    it('answers the same through POST /api/assets/search', async () => {
      const viaGet = await search('search=bohem&layer=S', '/api/assets/search');
      const viaPost = dataOf<Page>(await call(api.url, 'POST', '/api/assets/search', { json: { search: 'bohem', layer: 'S' } }));
      expect(viaPost).to.deep.equal(viaGet);
    });
  });

  it('finds a composite by its HFN and MFA', async () => {
    const star = await create({ category: 'FAN' });
    const look = await create({ layer: 'L', category: 'VIN', subcategory: 'BAS' });
    const composite = await create({ layer: 'C', category: 'RMX', subcategory: 'POP', components: [star.name, look.name] });
    for (const typed of [composite.name, composite['nna_address'] as string, 'C.RMX.POP.001']) {
      expect(names(await search(`search=${encodeURIComponent(typed)}`))[0], typed).to.equal(composite.name);
    }
  });

  it('pages plain listings with a Firestore cursor that reads no skipped documents', async () => {
    const documents: Record<string, StoredAssetDocument> = {};
    for (let index = 0; index < 25; index++)
      documents[`p${String(index).padStart(2, '0')}`] = documentOf(`S.POP.BAS.${String(index + 1).padStart(3, '0')}`, day(index));
    await seed(documents);
    const byPage: string[] = [];
    for (let page = 1; page <= 5; page++) byPage.push(...names(await search(`limit=5&page=${page}&sortBy=name&sortOrder=asc`)));
    const byCursor: string[] = [];
    let cursor: string | undefined;
    let lastReads: number | undefined;
    do {
      const reply = await call(api.url, 'GET', `/api/assets?limit=5&sortBy=name&sortOrder=asc${cursor ? `&cursor=${cursor}` : ''}`);
      const page = dataOf<Page>(reply);
      expect(page.total).to.equal(25);
      byCursor.push(...names(page));
      cursor = page.nextCursor;
      lastReads = Number(reply.headers.get('x-documents-read'));
    } while (cursor);
    expect(byCursor).to.deep.equal(byPage);
    expect(byCursor).to.have.length(25);
    const offsetReads = Number((await call(api.url, 'GET', '/api/assets?limit=5&page=5&sortBy=name&sortOrder=asc')).headers.get('x-documents-read'));
    // The last page by cursor reads its 5 items (the count is billed apart); by offset it also bills the 20 skipped.
    expect(lastReads).to.equal(5);
    expect(offsetReads).to.equal(25);
  });

  it('finds every match of one word past any candidate limit, reading the page and an exact count', async function () {
    this.timeout(60_000);
    const documents: Record<string, StoredAssetDocument> = {};
    for (let index = 0; index < 305; index++) {
      documents[`c${index}`] = documentOf(`S.POP.BAS.${String(index + 1).padStart(3, '0')}`, new Date(Date.UTC(2025, 0, 1) + index * 1000).toISOString(), {
        description: 'common word',
      });
    }
    await seed(documents);
    const reply = await call(api.url, 'GET', '/api/assets?search=common&limit=10');
    const page = dataOf<Page>(reply);
    expect(page.totalIsLowerBound).to.equal(undefined);
    expect(page.total).to.equal(305);
    // The page, one more to see that others follow, one read for each tier found empty before the
    // description's, and the lookup of `common` as an asset id.
    expect(Number(reply.headers.get('x-documents-read'))).to.equal(10 + 1 + 3 + 1);
    expect(Number(reply.headers.get('x-aggregation-reads'))).to.equal(1);
    expect(page.items[0]!.name).to.equal('S.POP.BAS.305');
    const narrow = dataOf<Page>(await call(api.url, 'GET', '/api/assets?search=common&limit=10&startDate=2025-01-01T00:04:59.000Z'));
    expect(narrow.total).to.equal(6);
  });

  describe('refuses bad paging and search input with 400, changing nothing', () => {
    beforeEach(() =>
      seed({ a1: documentOf('S.POP.BAS.001', day(1), { description: 'Bohemian' }), a2: documentOf('S.POP.BAS.002', day(2), { description: 'Bohemian' }) }),
    );

    async function expectRefused(path: string, field: string, issue: RegExp): Promise<void> {
      const before = await snapshotCollection('assets');
      const reply = await call(api.url, 'GET', path);
      expect(reply.status, reply.text).to.equal(400);
      const detail = reply.body.error!.details.find((entry) => entry.path === field);
      expect(detail, reply.text).to.not.equal(undefined);
      expect(detail!.issue).to.match(issue);
      expect(await snapshotCollection('assets')).to.deep.equal(before);
    }

    it('a limit above the maximum, not clamped', () => expectRefused('/api/assets?search=bohem&limit=1001', 'limit', /1000/));
    it('a malformed cursor', () => expectRefused('/api/assets?cursor=not-a-cursor', 'cursor', /not a cursor/));
    it('a cursor with a forged shape', () =>
      expectRefused(`/api/assets?cursor=${Buffer.from('{"v":1,"k":"list","q":"x","p":1,"at":[]}').toString('base64url')}`, 'cursor', /not a cursor/));
    it('a search cursor naming a tier that does not exist', () =>
      expectRefused(
        `/api/assets?search=bohem&limit=1&cursor=${Buffer.from(JSON.stringify({ v: 2, k: 'search', q: 'x', p: 2, at: [1, 9, '2025-01-01', 'a1'] })).toString('base64url')}`,
        'cursor',
        /not a cursor/,
      ));
    it('too many search words', () => expectRefused('/api/assets?search=a%20b%20c%20d%20e%20f%20g%20h%20i', 'search', /at most 8/));

    it('a cursor replayed on another query, or a search cursor on a listing', async () => {
      const page = dataOf<Page>(await call(api.url, 'GET', '/api/assets?search=bohem&limit=1'));
      await expectRefused(`/api/assets?search=other&limit=1&cursor=${page.nextCursor}`, 'cursor', /another query/);
      await expectRefused(`/api/assets?search=bohem&layer=S&limit=1&cursor=${page.nextCursor}`, 'cursor', /another query/);
      const listing = dataOf<Page>(await call(api.url, 'GET', '/api/assets?limit=1'));
      expect(listing.nextCursor).to.be.a('string');
      await expectRefused(`/api/assets?limit=1&sortBy=name&cursor=${listing.nextCursor}`, 'cursor', /another query/);
    });
  });
});
