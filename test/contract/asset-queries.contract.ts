/**
 * What the use cases rely on from AssetQueries (lookups, listings, the search index's matches), run
 * against the Firestore adapter and the in-memory fake.
 */
import { expect } from 'chai';
import type { AssetListQuery } from '../../functions/domain/ports/asset-queries.js';
import { registryFieldsOf, type StoredAsset } from '../../functions/domain/stored-asset.js';
import { create, legacyDocument, listQuery, STAR_ROCK, type AssetOptions, type AssetStoreUnderTest, type MakeAssetStore, without } from './asset-documents.js';

export function describeAssetQueriesContract(name: string, make: MakeAssetStore): void {
  describe(`AssetQueries contract: ${name}`, function () {
    this.timeout(30_000);
    let store: AssetStoreUnderTest;
    beforeEach(async () => {
      store = await make();
    });

    describe('get and lookups', () => {
      it('answers undefined for an id that does not exist or that no document could have', async () => {
        expect(await store.queries.get('no-such-asset')).to.equal(undefined);
        for (const id of ['a/b', '', '..', '__reserved__']) expect(await store.queries.get(id), id).to.equal(undefined);
      });

      it('finds by base HFN and MFA (registry fields), by legacy name and address, and a legacy composite by its base', async () => {
        const made = await create(store.writes);
        await store.seed('legacy-single', legacyDocument('S.RCK.BAS.002'));
        await store.seed('legacy-composite', legacyDocument('C.RMX.POP.003:S.POP.BAS.001', { nna_address: '9.001.001.003:2.001.001.001' }));
        expect((await store.queries.findByAddress('hfn', 'S.POP.BAS.001'))?.id).to.equal(made.id);
        expect((await store.queries.findByAddress('mfa', registryFieldsOf(made.document)!.mfa))?.id).to.equal(made.id);
        expect((await store.queries.findByAddress('hfn', 'S.RCK.BAS.002'))?.id).to.equal('legacy-single');
        expect((await store.queries.findByAddress('hfn', 'C.RMX.POP.003'))?.id).to.equal('legacy-composite');
        expect((await store.queries.findByAddress('mfa', '9.001.001.003'))?.id).to.equal('legacy-composite');
        expect(await store.queries.findByAddress('hfn', 'C.RMX.POP.00')).to.equal(undefined);
        expect(await store.queries.findByAddress('hfn', 'S.POP.BAS.002')).to.equal(undefined);
      });

      it('finds a stored address by exact name first, then by nna_address', async () => {
        await store.seed('by-name', legacyDocument('G.undefined.undefined.001', { nna_address: 'x' }));
        await store.seed('by-address', legacyDocument('other', { nna_address: 'G.undefined.undefined.001' }));
        expect((await store.queries.findByStoredAddress('G.undefined.undefined.001'))?.id).to.equal('by-name');
        expect(await store.queries.findByStoredAddress('mfa-of-other')).to.equal(undefined);
        expect((await store.queries.findByStoredAddress('x'))?.id).to.equal('by-name');
      });

      it('picks the first document by id when several share a lookup value', async () => {
        await store.seed('b-second', legacyDocument('S.RCK.BAS.005'));
        await store.seed('a-first', legacyDocument('S.RCK.BAS.005'));
        expect((await store.queries.findByAddress('hfn', 'S.RCK.BAS.005'))?.id).to.equal('a-first');
        expect((await store.queries.findByStoredAddress('S.RCK.BAS.005'))?.id).to.equal('a-first');
      });
    });

    describe('listing', () => {
      async function seedListing(): Promise<string[]> {
        const rows: Array<[string, Record<string, unknown>]> = [
          ['l1', { layer: 'S', categoryCode: 'POP', subcategoryCode: 'BAS', status: 'active', tags: ['red'], createdAt: '2025-01-01T10:00:00.000Z' }],
          ['l2', { layer: 'S', categoryCode: 'POP', subcategoryCode: 'DIV', status: 'draft', tags: ['blue'], createdAt: '2025-01-02T10:00:00.000Z' }],
          ['l3', { layer: 'S', categoryCode: 'RCK', subcategoryCode: 'BAS', status: 'active', tags: ['red', 'blue'], createdAt: '2025-01-03T10:00:00.000Z' }],
          ['l4', { layer: 'G', categoryCode: 'POP', subcategoryCode: 'BAS', status: 'active', tags: [], createdAt: '2025-01-03T10:00:00.000Z' }],
          ['l5', { layer: 'S', categoryCode: 'POP', subcategoryCode: 'BAS', status: 'active', tags: ['green'], createdAt: '2025-01-05T10:00:00.000Z' }],
        ];
        for (const [index, [id, fields]] of rows.entries()) {
          await store.seed(id, legacyDocument(`S.POP.BAS.${String(9 - index).padStart(3, '0')}`, { ...fields, updatedAt: fields['createdAt'] }));
        }
        return rows.map(([id]) => id);
      }
      const ids = (page: { items: StoredAsset[] }) => page.items.map((item) => item.id);

      it('orders by the sort field either way, ties broken by id in the same direction, and counts the total', async () => {
        await seedListing();
        const newest = await store.queries.list(listQuery());
        expect(ids(newest)).to.deep.equal(['l5', 'l4', 'l3', 'l2', 'l1']);
        expect(newest.total).to.equal(5);
        expect(newest).to.not.have.property('next');
        expect(ids(await store.queries.list(listQuery({ sortOrder: 'asc' })))).to.deep.equal(['l1', 'l2', 'l3', 'l4', 'l5']);
        expect(ids(await store.queries.list(listQuery({ sortBy: 'name', sortOrder: 'asc' })))).to.deep.equal(['l5', 'l4', 'l3', 'l2', 'l1']);
      });

      it('filters by layer, category, subcategory, status, any of the tags and a creation date range', async () => {
        await seedListing();
        const filtered = async (filters: Partial<AssetListQuery>) => ids(await store.queries.list(listQuery({ sortOrder: 'asc', ...filters })));
        expect(await filtered({ layer: 'S' })).to.deep.equal(['l1', 'l2', 'l3', 'l5']);
        expect(await filtered({ layer: 'S', categoryCode: 'POP' })).to.deep.equal(['l1', 'l2', 'l5']);
        expect(await filtered({ layer: 'S', categoryCode: 'POP', subcategoryCode: 'BAS' })).to.deep.equal(['l1', 'l5']);
        expect(await filtered({ status: 'draft' })).to.deep.equal(['l2']);
        expect(await filtered({ tags: ['blue', 'green'] })).to.deep.equal(['l2', 'l3', 'l5']);
        expect(await filtered({ createdFrom: '2025-01-02T10:00:00.000Z', createdTo: '2025-01-03T10:00:00.000Z' })).to.deep.equal(['l2', 'l3', 'l4']);
        expect(await filtered({ sortBy: 'name', createdFrom: '2025-01-02T00:00:00.000Z' })).to.deep.equal(['l5', 'l4', 'l3', 'l2']);
        const counted = await store.queries.list(listQuery({ layer: 'S', limit: 1 }));
        expect(counted.total).to.equal(4);
      });

      it('pages by offset and by the cursor of the last item alike, without overlap, and bills the reads', async () => {
        await seedListing();
        const byOffset: string[] = [];
        for (let offset = 0; offset < 5; offset += 2) byOffset.push(...ids(await store.queries.list(listQuery({ offset, limit: 2 }))));
        const byCursor: string[] = [];
        let page = await store.queries.list(listQuery({ limit: 2 }));
        expect(page).to.include({ documentsRead: 3 + 0, aggregationReads: 1 });
        byCursor.push(...ids(page));
        while (page.next) {
          page = await store.queries.list(listQuery({ limit: 2, after: page.next }));
          expect(page.total).to.equal(5);
          byCursor.push(...ids(page));
        }
        expect(byOffset).to.deep.equal(['l5', 'l4', 'l3', 'l2', 'l1']);
        expect(byCursor).to.deep.equal(byOffset);
        const skipped = await store.queries.list(listQuery({ offset: 4, limit: 2 }));
        expect(ids(skipped)).to.deep.equal(['l1']);
        expect(skipped).to.include({ documentsRead: 1 + 4, aggregationReads: 1 });
        const empty = await store.queries.list(listQuery({ status: 'archived' }));
        expect(empty).to.deep.equal({ total: 0, items: [], documentsRead: 1, aggregationReads: 1 });
      });

      it('gives a cursor of the order values and id, and leaves out of the items (not the total) documents without the sort field', async () => {
        await seedListing();
        await store.seed('no-update', without(legacyDocument('S.POP.BAS.100', { createdAt: '2025-02-01T00:00:00.000Z' }), 'updatedAt'));
        const page = await store.queries.list(listQuery({ sortBy: 'updatedAt', limit: 2, createdFrom: '2025-01-02T00:00:00.000Z' }));
        expect(ids(page)).to.deep.equal(['l5', 'l4']);
        expect(page.next).to.deep.equal(['2025-01-03T10:00:00.000Z', '2025-01-03T10:00:00.000Z', 'l4']);
        expect(page.total).to.equal(5);
        const all = await store.queries.list(listQuery({ sortBy: 'updatedAt' }));
        expect(ids(all)).to.deep.equal(['l5', 'l4', 'l3', 'l2', 'l1']);
        expect(all.total).to.equal(6);
      });
    });

    describe('search index matches', () => {
      const dated = async (fields: AssetOptions['fields'], now: string, path?: AssetOptions['path']) =>
        create(store.writes, { fields, now, ...(path ? { path } : {}) });

      it('reads the assets holding a token beside the filters, newest first, by position or offset, and counts them', async () => {
        const old = await dated({ description: 'bohemian rhapsody' }, '2025-01-01T00:00:00.000Z');
        const middle = await dated({ description: 'bohemian like you', tags: ['blue'] }, '2025-01-02T00:00:00.000Z');
        const rock = await dated({ description: 'bohemian grove' }, '2025-01-03T00:00:00.000Z', STAR_ROCK);
        const recent = await dated({ description: 'bohemian grove' }, '2025-01-04T00:00:00.000Z');
        await dated({ description: 'unrelated words' }, '2025-01-05T00:00:00.000Z');
        const tokens = registryFieldsOf(old.document)!.search ?? [];
        expect(tokens, tokens.join(' ')).to.include('d:bohemian*');
        const token = 'd:bohem*';
        const all = await store.queries.readMatching({ tokens: [token], limit: 10 });
        expect(all.items.map((item) => item.id)).to.deep.equal([recent.id, rock.id, middle.id, old.id]);
        expect(all).to.include({ documentsRead: 4 });
        expect(all.next).to.equal(undefined);
        const first = await store.queries.readMatching({ tokens: [token], layer: 'S', categoryCode: 'POP', limit: 2 });
        expect(first.items.map((item) => item.id)).to.deep.equal([recent.id, middle.id]);
        expect(first.documentsRead).to.equal(3);
        expect(first.next).to.deep.equal([middle.document.createdAt, middle.id]);
        const second = await store.queries.readMatching({ tokens: [token], layer: 'S', categoryCode: 'POP', limit: 2, after: first.next! });
        expect(second.items.map((item) => item.id)).to.deep.equal([old.id]);
        const skipped = await store.queries.readMatching({ tokens: [token], layer: 'S', categoryCode: 'POP', limit: 2, offset: 2 });
        expect(skipped.items.map((item) => item.id)).to.deep.equal([old.id]);
        expect(skipped.documentsRead).to.equal(1 + 2);
        const within = await store.queries.readMatching({
          tokens: [token],
          limit: 10,
          createdFrom: '2025-01-02T00:00:00.000Z',
          createdTo: '2025-01-02T23:59:59.999Z',
        });
        expect(within.items.map((item) => item.id)).to.deep.equal([middle.id]);
        expect(await store.queries.readMatching({ tokens: ['d:zzzz*'], limit: 10 })).to.deep.equal({ items: [], documentsRead: 1 });
        expect(await store.queries.countMatching({ tokens: [token], layer: 'S', categoryCode: 'POP' })).to.deep.equal({ count: 3, aggregationReads: 1 });
        expect(await store.queries.countMatching({ tokens: ['n:zzzz*'] })).to.deep.equal({ count: 0, aggregationReads: 1 });
      });

      it('reads a word in every tier with several tokens, and a tag filter without tokens', async () => {
        const named = await dated({ description: 'plain', tags: ['bohemian'] }, '2025-01-01T00:00:00.000Z');
        const described = await dated({ description: 'bohemian' }, '2025-01-02T00:00:00.000Z');
        await dated({ description: 'other', tags: ['blue'] }, '2025-01-03T00:00:00.000Z');
        const anyTier = await store.queries.readMatching({ tokens: ['n:bohemian*', 't:bohemian*', 'c:bohemian*', 'd:bohemian*', 's:bohemian*'], limit: 10 });
        expect(anyTier.items.map((item) => item.id)).to.deep.equal([described.id, named.id]);
        expect((await store.queries.countMatching({ tokens: ['t:bohemian*', 'd:bohemian*'] })).count).to.equal(2);
        const tagged = await store.queries.readMatching({ tags: ['bohemian', 'blue'], limit: 1 });
        expect(tagged.items).to.have.length(1);
        expect((await store.queries.countMatching({ tags: ['bohemian', 'blue'] })).count).to.equal(2);
      });
    });
  });
}
