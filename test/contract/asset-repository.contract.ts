/**
 * What the use cases rely on from an AssetRepository, run against the Firestore adapter (emulator
 * tier) and against the in-memory fake (unit tier): whatever passes here can stand in for the other.
 */
import { expect } from 'chai';
import { isStorableDocumentId } from '../../functions/domain/asset-id.js';
import { ConflictError, NotFoundError, PreconditionFailedError, SequenceExhaustedError } from '../../functions/domain/errors.js';
import type { AssetListQuery, AssetRepository } from '../../functions/domain/ports/asset-repository.js';
import { registryFieldsOf, type StoredAsset } from '../../functions/domain/stored-asset.js';
import {
  asStored,
  COMPOSITE,
  legacyDocument,
  newAsset,
  rejectionOf,
  STAR_ROCK,
  type AssetOptions,
  type AssetStoreUnderTest,
  type MakeAssetStore,
  without,
} from './asset-documents.js';

const API = { writer: 'api', actor: 'contract@example.com' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

function sequenceOf(asset: StoredAsset): number {
  return registryFieldsOf(asset.document)!.sequence;
}

async function create(repository: AssetRepository, options: AssetOptions = {}): Promise<StoredAsset> {
  const { key, build } = newAsset(options);
  return repository.create(key, build, API);
}

function listQuery(overrides: Partial<AssetListQuery> = {}): AssetListQuery {
  return { sortBy: 'createdAt', sortOrder: 'desc', offset: 0, limit: 100, ...overrides };
}

function softDeleteRequest(overrides: Partial<Parameters<AssetRepository['softDelete']>[1]> = {}) {
  const now = new Date();
  return { check: () => undefined, deletedBy: 'editor@example.com', force: false, now, purgeAt: new Date(now.getTime() + 30 * DAY_MS), ...overrides };
}

export function describeAssetRepositoryContract(name: string, make: MakeAssetStore): void {
  describe(`AssetRepository contract: ${name}`, function () {
    this.timeout(30_000);
    let store: AssetStoreUnderTest;
    let repository: AssetRepository;
    beforeEach(async () => {
      store = await make();
      repository = store.repository;
    });

    describe('create and sequence numbers', () => {
      it('numbers each path from 1, consecutively, with distinct storable ids; get reads back what was stored', async () => {
        const first = await create(repository);
        const second = await create(repository);
        const other = await create(repository, { path: STAR_ROCK });
        expect([sequenceOf(first), sequenceOf(second), sequenceOf(other)]).to.deep.equal([1, 2, 1]);
        expect(first.document.name).to.equal('S.POP.BAS.001');
        expect(new Set([first.id, second.id, other.id]).size).to.equal(3);
        expect(isStorableDocumentId(first.id)).to.equal(true);
        // Undefined properties are not stored: the read is the written document without them.
        expect(await repository.get(second.id)).to.deep.equal(asStored(second));
      });

      it('gives concurrent creates in one path distinct, consecutive numbers', async () => {
        const created = await Promise.all(Array.from({ length: 8 }, () => create(repository)));
        expect(created.map(sequenceOf).sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
      });

      it('continues after the highest name of a path without a counter, composites and gaps included', async () => {
        await store.seed('legacy-a', legacyDocument('S.POP.BAS.004'));
        await store.seed('legacy-b', legacyDocument('S.POP.BAS.017:S.RCK.BAS.001'));
        await store.seed('legacy-c', legacyDocument('S.POP.BASX.050'));
        expect(sequenceOf(await create(repository))).to.equal(18);
        expect(sequenceOf(await create(repository))).to.equal(19);
      });

      it('refuses a number past 999 with SequenceExhaustedError and writes nothing', async () => {
        await store.seed('legacy-full', legacyDocument('S.POP.BAS.999'));
        const error = await rejectionOf(create(repository));
        expect(error).to.be.instanceOf(SequenceExhaustedError);
        expect((error as SequenceExhaustedError).sequenceKey).to.equal('S.POP.BAS');
        expect((await repository.list(listQuery())).total).to.equal(1);
      });

      it('writes nothing and uses no number when the document cannot be built', async () => {
        const failure = new Error('the builder failed');
        expect(
          await rejectionOf(
            repository.create(
              'S.POP.BAS',
              () => {
                throw failure;
              },
              API,
            ),
          ),
        ).to.equal(failure);
        expect((await repository.list(listQuery())).total).to.equal(0);
        expect(sequenceOf(await create(repository))).to.equal(1);
      });
    });

    describe('get and lookups', () => {
      it('answers undefined for an id that does not exist or that no document could have', async () => {
        expect(await repository.get('no-such-asset')).to.equal(undefined);
        for (const id of ['a/b', '', '..', '__reserved__']) expect(await repository.get(id), id).to.equal(undefined);
      });

      it('finds by base HFN and MFA (registry fields), by legacy name and address, and a legacy composite by its base', async () => {
        const made = await create(repository);
        await store.seed('legacy-single', legacyDocument('S.RCK.BAS.002'));
        await store.seed('legacy-composite', legacyDocument('C.RMX.POP.003:S.POP.BAS.001', { nna_address: '9.001.001.003:2.001.001.001' }));
        expect((await repository.findByAddress('hfn', 'S.POP.BAS.001'))?.id).to.equal(made.id);
        expect((await repository.findByAddress('mfa', registryFieldsOf(made.document)!.mfa))?.id).to.equal(made.id);
        expect((await repository.findByAddress('hfn', 'S.RCK.BAS.002'))?.id).to.equal('legacy-single');
        expect((await repository.findByAddress('hfn', 'C.RMX.POP.003'))?.id).to.equal('legacy-composite');
        expect((await repository.findByAddress('mfa', '9.001.001.003'))?.id).to.equal('legacy-composite');
        expect(await repository.findByAddress('hfn', 'C.RMX.POP.00')).to.equal(undefined);
        expect(await repository.findByAddress('hfn', 'S.POP.BAS.002')).to.equal(undefined);
      });

      it('finds a stored address by exact name first, then by nna_address', async () => {
        await store.seed('by-name', legacyDocument('G.undefined.undefined.001', { nna_address: 'x' }));
        await store.seed('by-address', legacyDocument('other', { nna_address: 'G.undefined.undefined.001' }));
        expect((await repository.findByStoredAddress('G.undefined.undefined.001'))?.id).to.equal('by-name');
        expect(await repository.findByStoredAddress('mfa-of-other')).to.equal(undefined);
        expect((await repository.findByStoredAddress('x'))?.id).to.equal('by-name');
      });

      it('picks the first document by id when several share a lookup value', async () => {
        await store.seed('b-second', legacyDocument('S.RCK.BAS.005'));
        await store.seed('a-first', legacyDocument('S.RCK.BAS.005'));
        expect((await repository.findByAddress('hfn', 'S.RCK.BAS.005'))?.id).to.equal('a-first');
        expect((await repository.findByStoredAddress('S.RCK.BAS.005'))?.id).to.equal('a-first');
      });
    });

    describe('update', () => {
      it('replaces the document with what the change makes of the current one and returns it', async () => {
        const made = await create(repository);
        const updated = await repository.update(made.id, (current) => Promise.resolve({ ...current.document, description: 'changed', status: undefined }), API);
        expect(updated.document.description).to.equal('changed');
        expect(await repository.get(made.id)).to.deep.equal(asStored(updated));
      });

      it('is NotFoundError for an asset that does not exist (or whose id no document could have), without calling the change', async () => {
        let called = false;
        const change = () => {
          called = true;
          return Promise.reject(new Error('not called'));
        };
        expect(await rejectionOf(repository.update('no-such-asset', change, API))).to.be.instanceOf(NotFoundError);
        expect(await rejectionOf(repository.update('a/b', change, API))).to.be.instanceOf(NotFoundError);
        expect(called).to.equal(false);
      });

      it('passes an If-Match refusal from the change through as it is, changing nothing', async () => {
        const made = await create(repository);
        const refusal = new PreconditionFailedError('stale ETag');
        const error = await rejectionOf(
          repository.update(
            made.id,
            () => {
              throw refusal;
            },
            API,
          ),
        );
        expect(error).to.equal(refusal);
        expect(await repository.get(made.id)).to.deep.equal(asStored(made));
      });

      it('draws a number in another path inside the update; a change that fails after drawing uses none', async () => {
        const made = await create(repository);
        await create(repository, { path: STAR_ROCK });
        const failed = await rejectionOf(
          repository.update(
            made.id,
            async (_, allocate) => {
              await allocate('S.RCK.BAS');
              throw new ConflictError('refused after drawing');
            },
            API,
          ),
        );
        expect(failed).to.be.instanceOf(ConflictError);
        let drawn = 0;
        await repository.update(
          made.id,
          async (current, allocate) => {
            drawn = await allocate('S.RCK.BAS');
            return current.document;
          },
          API,
        );
        expect(drawn).to.equal(2);
        expect(sequenceOf(await create(repository, { path: STAR_ROCK }))).to.equal(3);
      });

      it('applies concurrent updates of one asset one after the other, none lost', async () => {
        const made = await create(repository);
        // Two are enough to lose one, and the emulator backs contending transactions off for seconds.
        const tags = ['a', 'b'];
        await Promise.all(
          tags.map((tag) =>
            repository.update(made.id, (current) => Promise.resolve({ ...current.document, tags: [...(current.document.tags ?? []), tag] }), API),
          ),
        );
        expect([...((await repository.get(made.id))!.document.tags ?? [])].sort()).to.deep.equal(['a', 'b', 'general']);
      });
    });

    describe('delete for good', () => {
      it('removes the asset; NotFoundError when it is not there', async () => {
        const made = await create(repository);
        await repository.delete(made.id, API);
        expect(await repository.get(made.id)).to.equal(undefined);
        expect(await rejectionOf(repository.delete(made.id, API))).to.be.instanceOf(NotFoundError);
      });
    });

    describe('soft delete and restore', () => {
      it('moves the asset out of every read into the deleted assets, and restore brings it back exactly', async () => {
        const made = await create(repository, { fields: { description: 'soon deleted' } });
        const before = await repository.get(made.id);
        const request = softDeleteRequest({ reason: 'duplicate' });
        const deleted = await repository.softDelete(made.id, request);
        expect(deleted).to.deep.equal({
          asset: before,
          deletedBy: 'editor@example.com',
          deletedAt: request.now.toISOString(),
          purgeAt: request.purgeAt.toISOString(),
          reason: 'duplicate',
          forcedComposites: [],
        });
        expect(await repository.getDeleted(made.id)).to.deep.equal(deleted);
        expect(await repository.get(made.id)).to.equal(undefined);
        expect(await repository.findByAddress('hfn', 'S.POP.BAS.001')).to.equal(undefined);
        expect((await repository.list(listQuery())).total).to.equal(0);
        expect(await repository.isDeletedAddress('hfn', 'S.POP.BAS.001')).to.equal(true);
        expect(await repository.isDeletedAddress('mfa', registryFieldsOf(made.document)!.mfa)).to.equal(true);
        expect(await repository.isDeletedAddress('hfn', 'S.POP.BAS.002')).to.equal(false);

        const restored = await repository.restore(made.id, 'admin@example.com', new Date());
        expect(restored).to.deep.equal(before);
        expect(await repository.get(made.id)).to.deep.equal(before);
        expect(await repository.getDeleted(made.id)).to.equal(undefined);
        expect(await rejectionOf(repository.restore(made.id, 'admin@example.com', new Date()))).to.be.instanceOf(NotFoundError);
      });

      it('keeps the number of a deleted asset used, even the highest of its path', async () => {
        await create(repository);
        const second = await create(repository);
        await repository.softDelete(second.id, softDeleteRequest());
        expect(sequenceOf(await create(repository))).to.equal(3);
      });

      it('keeps the number of a deleted legacy asset used where its path had no counter', async () => {
        await store.seed('legacy-top', legacyDocument('S.RCK.BAS.012'));
        await store.seed('legacy-low', legacyDocument('S.RCK.BAS.003'));
        await repository.softDelete('legacy-top', softDeleteRequest());
        expect(sequenceOf(await create(repository, { path: STAR_ROCK }))).to.equal(13);
      });

      it('runs the check on the current asset first: a refusal changes nothing', async () => {
        const made = await create(repository);
        const refusal = new PreconditionFailedError('stale ETag');
        let seen: StoredAsset | undefined;
        const check = (current: StoredAsset) => {
          seen = current;
          throw refusal;
        };
        expect(await rejectionOf(repository.softDelete(made.id, softDeleteRequest({ check })))).to.equal(refusal);
        expect(seen).to.deep.equal(asStored(made));
        expect(await repository.get(made.id)).to.deep.equal(asStored(made));
        expect(await repository.getDeleted(made.id)).to.equal(undefined);
      });

      it('is NotFoundError for an asset that does not exist; restore is NotFoundError for one never deleted', async () => {
        expect(await rejectionOf(repository.softDelete('no-such-asset', softDeleteRequest()))).to.be.instanceOf(NotFoundError);
        expect(await rejectionOf(repository.softDelete('a/b', softDeleteRequest()))).to.be.instanceOf(NotFoundError);
        const made = await create(repository);
        expect(await rejectionOf(repository.restore(made.id, 'admin@example.com', new Date()))).to.be.instanceOf(NotFoundError);
      });

      it('refuses to restore past the retention', async () => {
        const made = await create(repository);
        const request = softDeleteRequest();
        await repository.softDelete(made.id, request);
        expect(await rejectionOf(repository.restore(made.id, 'admin@example.com', request.purgeAt))).to.be.instanceOf(NotFoundError);
        expect(await repository.getDeleted(made.id)).to.not.equal(undefined);
      });

      it('refuses to delete a component a live composite names, unless forced; the composite then lists it, until restore', async () => {
        const component = await create(repository);
        const composite = await create(repository, { path: COMPOSITE, components: [{ hfn: 'S.POP.BAS.001', mfa: registryFieldsOf(component.document)!.mfa }] });
        await store.seed(
          'imported-composite',
          legacyDocument('C.RMX.POP.050', { components: ['G.003.003.001'], _sys: { terms: {}, components: ['S.POP.BAS.001'] } }),
        );
        const refused = await rejectionOf(repository.softDelete(component.id, softDeleteRequest()));
        expect(refused).to.be.instanceOf(ConflictError);
        expect((refused as ConflictError).details.map((detail) => detail.path)).to.deep.equal(['composites', 'composites']);
        expect(await repository.get(component.id)).to.not.equal(undefined);

        const forced = await repository.softDelete(component.id, softDeleteRequest({ force: true }));
        expect([...forced.forcedComposites].sort()).to.deep.equal([composite.id, 'imported-composite'].sort());
        expect((await repository.get(composite.id))!.document.deletedComponents).to.deep.equal(['S.POP.BAS.001']);
        expect((await repository.get('imported-composite'))!.document.deletedComponents).to.deep.equal(['S.POP.BAS.001']);

        await repository.restore(component.id, 'admin@example.com', new Date());
        expect((await repository.get(composite.id))!.document).to.not.have.property('deletedComponents');
        expect((await repository.get(composite.id))!.document).to.deep.equal(asStored(composite.document));
      });

      it('lists deleted assets most recently deleted first, with a cursor; an unknown cursor is NotFoundError', async () => {
        const start = Date.now();
        const ids: string[] = [];
        for (let index = 0; index < 3; index++) {
          const made = await create(repository);
          await repository.softDelete(made.id, softDeleteRequest({ now: new Date(start + index * 1000) }));
          ids.push(made.id);
        }
        const first = await repository.listDeleted(2);
        expect(first.items.map((item) => item.asset.id)).to.deep.equal([ids[2], ids[1]]);
        expect(first.next).to.equal(ids[1]);
        const second = await repository.listDeleted(2, first.next);
        expect(second.items.map((item) => item.asset.id)).to.deep.equal([ids[0]]);
        expect(second).to.not.have.property('next');
        expect(await rejectionOf(repository.listDeleted(2, 'no-such-asset'))).to.be.instanceOf(NotFoundError);
      });

      it('finds the deleted assets whose retention has ended, oldest first, and forgets one removed', async () => {
        const now = new Date();
        const ids: string[] = [];
        for (const days of [-1, -3, 5, -2]) {
          const made = await create(repository);
          await repository.softDelete(made.id, softDeleteRequest({ now, purgeAt: new Date(now.getTime() + days * DAY_MS) }));
          ids.push(made.id);
        }
        expect((await repository.expiredDeleted(now, 10)).map((item) => item.asset.id)).to.deep.equal([ids[1], ids[3], ids[0]]);
        expect((await repository.expiredDeleted(now, 2)).map((item) => item.asset.id)).to.deep.equal([ids[1], ids[3]]);
        await repository.removeDeleted(ids[1]!);
        await repository.removeDeleted('never-deleted');
        expect(await repository.getDeleted(ids[1]!)).to.equal(undefined);
        expect((await repository.expiredDeleted(now, 10)).map((item) => item.asset.id)).to.deep.equal([ids[3], ids[0]]);
      });

      it('says whether another live or deleted asset uses album art with a content key', async () => {
        await store.seed('art-live', legacyDocument('M.POP.BAS.001', { albumArt: { sha256: 'k1' } }));
        await store.seed('art-old', legacyDocument('M.POP.BAS.002', { albumArt: { original: { sha256: 'k2' } } }));
        await store.seed('art-deleted', legacyDocument('M.POP.BAS.003', { albumArt: { sha256: 'k3' } }));
        await repository.softDelete('art-deleted', softDeleteRequest());
        expect(await repository.albumArtInUse('k1', 'other')).to.equal(true);
        expect(await repository.albumArtInUse('k1', 'art-live')).to.equal(false);
        expect(await repository.albumArtInUse('k2', 'other')).to.equal(true);
        expect(await repository.albumArtInUse('k3', 'other')).to.equal(true);
        expect(await repository.albumArtInUse('k3', 'art-deleted')).to.equal(false);
        expect(await repository.albumArtInUse('k4', 'other')).to.equal(false);
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
        const newest = await repository.list(listQuery());
        expect(ids(newest)).to.deep.equal(['l5', 'l4', 'l3', 'l2', 'l1']);
        expect(newest.total).to.equal(5);
        expect(newest).to.not.have.property('next');
        expect(ids(await repository.list(listQuery({ sortOrder: 'asc' })))).to.deep.equal(['l1', 'l2', 'l3', 'l4', 'l5']);
        expect(ids(await repository.list(listQuery({ sortBy: 'name', sortOrder: 'asc' })))).to.deep.equal(['l5', 'l4', 'l3', 'l2', 'l1']);
      });

      it('filters by layer, category, subcategory, status, any of the tags and a creation date range', async () => {
        await seedListing();
        const filtered = async (filters: Partial<AssetListQuery>) => ids(await repository.list(listQuery({ sortOrder: 'asc', ...filters })));
        expect(await filtered({ layer: 'S' })).to.deep.equal(['l1', 'l2', 'l3', 'l5']);
        expect(await filtered({ layer: 'S', categoryCode: 'POP' })).to.deep.equal(['l1', 'l2', 'l5']);
        expect(await filtered({ layer: 'S', categoryCode: 'POP', subcategoryCode: 'BAS' })).to.deep.equal(['l1', 'l5']);
        expect(await filtered({ status: 'draft' })).to.deep.equal(['l2']);
        expect(await filtered({ tags: ['blue', 'green'] })).to.deep.equal(['l2', 'l3', 'l5']);
        expect(await filtered({ createdFrom: '2025-01-02T10:00:00.000Z', createdTo: '2025-01-03T10:00:00.000Z' })).to.deep.equal(['l2', 'l3', 'l4']);
        expect(await filtered({ sortBy: 'name', createdFrom: '2025-01-02T00:00:00.000Z' })).to.deep.equal(['l5', 'l4', 'l3', 'l2']);
        const counted = await repository.list(listQuery({ layer: 'S', limit: 1 }));
        expect(counted.total).to.equal(4);
      });

      it('pages by offset and by the cursor of the last item alike, without overlap, and bills the reads', async () => {
        await seedListing();
        const byOffset: string[] = [];
        for (let offset = 0; offset < 5; offset += 2) byOffset.push(...ids(await repository.list(listQuery({ offset, limit: 2 }))));
        const byCursor: string[] = [];
        let page = await repository.list(listQuery({ limit: 2 }));
        expect(page).to.include({ documentsRead: 3 + 0, aggregationReads: 1 });
        byCursor.push(...ids(page));
        while (page.next) {
          page = await repository.list(listQuery({ limit: 2, after: page.next }));
          expect(page.total).to.equal(5);
          byCursor.push(...ids(page));
        }
        expect(byOffset).to.deep.equal(['l5', 'l4', 'l3', 'l2', 'l1']);
        expect(byCursor).to.deep.equal(byOffset);
        const skipped = await repository.list(listQuery({ offset: 4, limit: 2 }));
        expect(ids(skipped)).to.deep.equal(['l1']);
        expect(skipped).to.include({ documentsRead: 1 + 4, aggregationReads: 1 });
        const empty = await repository.list(listQuery({ status: 'archived' }));
        expect(empty).to.deep.equal({ total: 0, items: [], documentsRead: 1, aggregationReads: 1 });
      });

      it('gives a cursor of the order values and id, and leaves out of the items (not the total) documents without the sort field', async () => {
        await seedListing();
        await store.seed('no-update', without(legacyDocument('S.POP.BAS.100', { createdAt: '2025-02-01T00:00:00.000Z' }), 'updatedAt'));
        const page = await repository.list(listQuery({ sortBy: 'updatedAt', limit: 2, createdFrom: '2025-01-02T00:00:00.000Z' }));
        expect(ids(page)).to.deep.equal(['l5', 'l4']);
        expect(page.next).to.deep.equal(['2025-01-03T10:00:00.000Z', '2025-01-03T10:00:00.000Z', 'l4']);
        expect(page.total).to.equal(5);
        const all = await repository.list(listQuery({ sortBy: 'updatedAt' }));
        expect(ids(all)).to.deep.equal(['l5', 'l4', 'l3', 'l2', 'l1']);
        expect(all.total).to.equal(6);
      });
    });

    describe('search index matches', () => {
      const dated = async (fields: AssetOptions['fields'], now: string, path?: AssetOptions['path']) =>
        create(repository, { fields, now, ...(path ? { path } : {}) });

      it('reads the assets holding a token beside the filters, newest first, by position or offset, and counts them', async () => {
        const old = await dated({ description: 'bohemian rhapsody' }, '2025-01-01T00:00:00.000Z');
        const middle = await dated({ description: 'bohemian like you', tags: ['blue'] }, '2025-01-02T00:00:00.000Z');
        const rock = await dated({ description: 'bohemian grove' }, '2025-01-03T00:00:00.000Z', STAR_ROCK);
        const recent = await dated({ description: 'bohemian grove' }, '2025-01-04T00:00:00.000Z');
        await dated({ description: 'unrelated words' }, '2025-01-05T00:00:00.000Z');
        const tokens = registryFieldsOf(old.document)!.search ?? [];
        expect(tokens, tokens.join(' ')).to.include('d:bohemian*');
        const token = 'd:bohem*';
        const all = await repository.readMatching({ tokens: [token], limit: 10 });
        expect(all.items.map((item) => item.id)).to.deep.equal([recent.id, rock.id, middle.id, old.id]);
        expect(all).to.include({ documentsRead: 4 });
        expect(all.next).to.equal(undefined);
        const first = await repository.readMatching({ tokens: [token], layer: 'S', categoryCode: 'POP', limit: 2 });
        expect(first.items.map((item) => item.id)).to.deep.equal([recent.id, middle.id]);
        expect(first.documentsRead).to.equal(3);
        expect(first.next).to.deep.equal([middle.document.createdAt, middle.id]);
        const second = await repository.readMatching({ tokens: [token], layer: 'S', categoryCode: 'POP', limit: 2, after: first.next! });
        expect(second.items.map((item) => item.id)).to.deep.equal([old.id]);
        const skipped = await repository.readMatching({ tokens: [token], layer: 'S', categoryCode: 'POP', limit: 2, offset: 2 });
        expect(skipped.items.map((item) => item.id)).to.deep.equal([old.id]);
        expect(skipped.documentsRead).to.equal(1 + 2);
        const within = await repository.readMatching({
          tokens: [token],
          limit: 10,
          createdFrom: '2025-01-02T00:00:00.000Z',
          createdTo: '2025-01-02T23:59:59.999Z',
        });
        expect(within.items.map((item) => item.id)).to.deep.equal([middle.id]);
        expect(await repository.readMatching({ tokens: ['d:zzzz*'], limit: 10 })).to.deep.equal({ items: [], documentsRead: 1 });
        expect(await repository.countMatching({ tokens: [token], layer: 'S', categoryCode: 'POP' })).to.deep.equal({ count: 3, aggregationReads: 1 });
        expect(await repository.countMatching({ tokens: ['n:zzzz*'] })).to.deep.equal({ count: 0, aggregationReads: 1 });
      });

      it('reads a word in every tier with several tokens, and a tag filter without tokens', async () => {
        const named = await dated({ description: 'plain', tags: ['bohemian'] }, '2025-01-01T00:00:00.000Z');
        const described = await dated({ description: 'bohemian' }, '2025-01-02T00:00:00.000Z');
        await dated({ description: 'other', tags: ['blue'] }, '2025-01-03T00:00:00.000Z');
        const anyTier = await repository.readMatching({ tokens: ['n:bohemian*', 't:bohemian*', 'c:bohemian*', 'd:bohemian*', 's:bohemian*'], limit: 10 });
        expect(anyTier.items.map((item) => item.id)).to.deep.equal([described.id, named.id]);
        expect((await repository.countMatching({ tokens: ['t:bohemian*', 'd:bohemian*'] })).count).to.equal(2);
        const tagged = await repository.readMatching({ tags: ['bohemian', 'blue'], limit: 1 });
        expect(tagged.items).to.have.length(1);
        expect((await repository.countMatching({ tags: ['bohemian', 'blue'] })).count).to.equal(2);
      });
    });
  });
}
