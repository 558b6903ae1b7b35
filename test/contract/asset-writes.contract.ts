/**
 * What the use cases rely on from AssetWrites (creates with their sequence numbers, updates, deletes, soft
 * delete and restore, the write listener), run against the Firestore adapter (emulator tier) and the
 * in-memory fake (unit tier): whatever passes here can stand in for the other.
 */
import { expect } from 'chai';
import { isStorableDocumentId } from '../../functions/domain/asset-id.js';
import { ConflictError, NotFoundError, PreconditionFailedError, SequenceExhaustedError } from '../../functions/domain/errors.js';
import type { AssetWrites } from '../../functions/domain/ports/asset-writes.js';
import { registryFieldsOf, type StoredAsset } from '../../functions/domain/stored-asset.js';
import {
  API,
  asStored,
  COMPOSITE,
  create,
  legacyDocument,
  listQuery,
  rejectionOf,
  sequenceOf,
  softDeleteRequest,
  STAR_ROCK,
  type AssetStoreUnderTest,
  type MakeAssetStore,
} from './asset-documents.js';

export function describeAssetWritesContract(name: string, make: MakeAssetStore): void {
  describe(`AssetWrites contract: ${name}`, function () {
    this.timeout(30_000);
    let store: AssetStoreUnderTest;
    beforeEach(async () => {
      store = await make();
    });

    describe('create and sequence numbers', () => {
      it('numbers each path from 1, consecutively, with distinct storable ids; get reads back what was stored', async () => {
        const first = await create(store.writes);
        const second = await create(store.writes);
        const other = await create(store.writes, { path: STAR_ROCK });
        expect([sequenceOf(first), sequenceOf(second), sequenceOf(other)]).to.deep.equal([1, 2, 1]);
        expect(first.document.name).to.equal('S.POP.BAS.001');
        expect(new Set([first.id, second.id, other.id]).size).to.equal(3);
        expect(isStorableDocumentId(first.id)).to.equal(true);
        // Undefined properties are not stored: the read is the written document without them.
        expect(await store.queries.get(second.id)).to.deep.equal(asStored(second));
      });

      it('gives concurrent creates in one path distinct, consecutive numbers', async () => {
        const created = await Promise.all(Array.from({ length: 8 }, () => create(store.writes)));
        expect(created.map(sequenceOf).sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
      });

      it('continues after the highest name of a path without a counter, composites and gaps included', async () => {
        await store.seed('legacy-a', legacyDocument('S.POP.BAS.004'));
        await store.seed('legacy-b', legacyDocument('S.POP.BAS.017:S.RCK.BAS.001'));
        await store.seed('legacy-c', legacyDocument('S.POP.BASX.050'));
        expect(sequenceOf(await create(store.writes))).to.equal(18);
        expect(sequenceOf(await create(store.writes))).to.equal(19);
      });

      it('refuses a number past 999 with SequenceExhaustedError and writes nothing', async () => {
        await store.seed('legacy-full', legacyDocument('S.POP.BAS.999'));
        const error = await rejectionOf(create(store.writes));
        expect(error).to.be.instanceOf(SequenceExhaustedError);
        expect((error as SequenceExhaustedError).sequenceKey).to.equal('S.POP.BAS');
        expect((await store.queries.list(listQuery())).total).to.equal(1);
      });

      it('writes nothing and uses no number when the document cannot be built', async () => {
        const failure = new Error('the builder failed');
        expect(
          await rejectionOf(
            store.writes.create(
              'S.POP.BAS',
              () => {
                throw failure;
              },
              API,
            ),
          ),
        ).to.equal(failure);
        expect((await store.queries.list(listQuery())).total).to.equal(0);
        expect(sequenceOf(await create(store.writes))).to.equal(1);
      });
    });

    describe('update', () => {
      it('replaces the document with what the change makes of the current one and returns it', async () => {
        const made = await create(store.writes);
        const updated = await store.writes.update(
          made.id,
          (current) => Promise.resolve({ ...current.document, description: 'changed', status: undefined }),
          API,
        );
        expect(updated.document.description).to.equal('changed');
        expect(await store.queries.get(made.id)).to.deep.equal(asStored(updated));
      });

      it('is NotFoundError for an asset that does not exist (or whose id no document could have), without calling the change', async () => {
        let called = false;
        const change = () => {
          called = true;
          return Promise.reject(new Error('not called'));
        };
        expect(await rejectionOf(store.writes.update('no-such-asset', change, API))).to.be.instanceOf(NotFoundError);
        expect(await rejectionOf(store.writes.update('a/b', change, API))).to.be.instanceOf(NotFoundError);
        expect(called).to.equal(false);
      });

      it('passes an If-Match refusal from the change through as it is, changing nothing', async () => {
        const made = await create(store.writes);
        const refusal = new PreconditionFailedError('stale ETag');
        const error = await rejectionOf(
          store.writes.update(
            made.id,
            () => {
              throw refusal;
            },
            API,
          ),
        );
        expect(error).to.equal(refusal);
        expect(await store.queries.get(made.id)).to.deep.equal(asStored(made));
      });

      it('draws a number in another path inside the update; a change that fails after drawing uses none', async () => {
        const made = await create(store.writes);
        await create(store.writes, { path: STAR_ROCK });
        const failed = await rejectionOf(
          store.writes.update(
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
        await store.writes.update(
          made.id,
          async (current, allocate) => {
            drawn = await allocate('S.RCK.BAS');
            return current.document;
          },
          API,
        );
        expect(drawn).to.equal(2);
        expect(sequenceOf(await create(store.writes, { path: STAR_ROCK }))).to.equal(3);
      });

      it('applies concurrent updates of one asset one after the other, none lost', async () => {
        const made = await create(store.writes);
        // Two are enough to lose one, and the emulator backs contending transactions off for seconds.
        const tags = ['a', 'b'];
        await Promise.all(
          tags.map((tag) =>
            store.writes.update(made.id, (current) => Promise.resolve({ ...current.document, tags: [...(current.document.tags ?? []), tag] }), API),
          ),
        );
        expect([...((await store.queries.get(made.id))!.document.tags ?? [])].sort()).to.deep.equal(['a', 'b', 'general']);
      });
    });

    describe('delete for good', () => {
      it('removes the asset; NotFoundError when it is not there', async () => {
        const made = await create(store.writes);
        await store.writes.delete(made.id, API);
        expect(await store.queries.get(made.id)).to.equal(undefined);
        expect(await rejectionOf(store.writes.delete(made.id, API))).to.be.instanceOf(NotFoundError);
      });
    });

    describe('soft delete and restore', () => {
      it('moves the asset out of every read into the deleted assets, and restore brings it back exactly', async () => {
        const made = await create(store.writes, { fields: { description: 'soon deleted' } });
        const before = await store.queries.get(made.id);
        const request = softDeleteRequest({ reason: 'duplicate' });
        const deleted = await store.writes.softDelete(made.id, request);
        expect(deleted).to.deep.equal({
          asset: before,
          deletedBy: 'editor@example.com',
          deletedAt: request.now.toISOString(),
          purgeAt: request.purgeAt.toISOString(),
          reason: 'duplicate',
          forcedComposites: [],
        });
        expect(await store.deleted.getDeleted(made.id)).to.deep.equal(deleted);
        expect(await store.queries.get(made.id)).to.equal(undefined);
        expect(await store.queries.findByAddress('hfn', 'S.POP.BAS.001')).to.equal(undefined);
        expect((await store.queries.list(listQuery())).total).to.equal(0);
        expect(await store.deleted.isDeletedAddress('hfn', 'S.POP.BAS.001')).to.equal(true);
        expect(await store.deleted.isDeletedAddress('mfa', registryFieldsOf(made.document)!.mfa)).to.equal(true);
        expect(await store.deleted.isDeletedAddress('hfn', 'S.POP.BAS.002')).to.equal(false);

        const restored = await store.writes.restore(made.id, 'admin@example.com', new Date());
        expect(restored).to.deep.equal(before);
        expect(await store.queries.get(made.id)).to.deep.equal(before);
        expect(await store.deleted.getDeleted(made.id)).to.equal(undefined);
        expect(await rejectionOf(store.writes.restore(made.id, 'admin@example.com', new Date()))).to.be.instanceOf(NotFoundError);
      });

      it('keeps the number of a deleted asset used, even the highest of its path', async () => {
        await create(store.writes);
        const second = await create(store.writes);
        await store.writes.softDelete(second.id, softDeleteRequest());
        expect(sequenceOf(await create(store.writes))).to.equal(3);
      });

      it('keeps the number of a deleted legacy asset used where its path had no counter', async () => {
        await store.seed('legacy-top', legacyDocument('S.RCK.BAS.012'));
        await store.seed('legacy-low', legacyDocument('S.RCK.BAS.003'));
        await store.writes.softDelete('legacy-top', softDeleteRequest());
        expect(sequenceOf(await create(store.writes, { path: STAR_ROCK }))).to.equal(13);
      });

      it('runs the check on the current asset first: a refusal changes nothing', async () => {
        const made = await create(store.writes);
        const refusal = new PreconditionFailedError('stale ETag');
        let seen: StoredAsset | undefined;
        const check = (current: StoredAsset) => {
          seen = current;
          throw refusal;
        };
        expect(await rejectionOf(store.writes.softDelete(made.id, softDeleteRequest({ check })))).to.equal(refusal);
        expect(seen).to.deep.equal(asStored(made));
        expect(await store.queries.get(made.id)).to.deep.equal(asStored(made));
        expect(await store.deleted.getDeleted(made.id)).to.equal(undefined);
      });

      it('is NotFoundError for an asset that does not exist; restore is NotFoundError for one never deleted', async () => {
        expect(await rejectionOf(store.writes.softDelete('no-such-asset', softDeleteRequest()))).to.be.instanceOf(NotFoundError);
        expect(await rejectionOf(store.writes.softDelete('a/b', softDeleteRequest()))).to.be.instanceOf(NotFoundError);
        const made = await create(store.writes);
        expect(await rejectionOf(store.writes.restore(made.id, 'admin@example.com', new Date()))).to.be.instanceOf(NotFoundError);
      });

      it('refuses to restore past the retention', async () => {
        const made = await create(store.writes);
        const request = softDeleteRequest();
        await store.writes.softDelete(made.id, request);
        expect(await rejectionOf(store.writes.restore(made.id, 'admin@example.com', request.purgeAt))).to.be.instanceOf(NotFoundError);
        expect(await store.deleted.getDeleted(made.id)).to.not.equal(undefined);
      });

      it('refuses to delete a component a live composite names, unless forced; the composite then lists it, until restore', async () => {
        const component = await create(store.writes);
        const composite = await create(store.writes, {
          path: COMPOSITE,
          components: [{ hfn: 'S.POP.BAS.001', mfa: registryFieldsOf(component.document)!.mfa }],
        });
        await store.seed(
          'imported-composite',
          legacyDocument('C.RMX.POP.050', { components: ['G.003.003.001'], _sys: { terms: {}, components: ['S.POP.BAS.001'] } }),
        );
        const refused = await rejectionOf(store.writes.softDelete(component.id, softDeleteRequest()));
        expect(refused).to.be.instanceOf(ConflictError);
        expect((refused as ConflictError).details.map((detail) => detail.path)).to.deep.equal(['composites', 'composites']);
        expect(await store.queries.get(component.id)).to.not.equal(undefined);

        const forced = await store.writes.softDelete(component.id, softDeleteRequest({ force: true }));
        expect([...forced.forcedComposites].sort()).to.deep.equal([composite.id, 'imported-composite'].sort());
        expect((await store.queries.get(composite.id))!.document.deletedComponents).to.deep.equal(['S.POP.BAS.001']);
        expect((await store.queries.get('imported-composite'))!.document.deletedComponents).to.deep.equal(['S.POP.BAS.001']);

        await store.writes.restore(component.id, 'admin@example.com', new Date());
        expect((await store.queries.get(composite.id))!.document).to.not.have.property('deletedComponents');
        expect((await store.queries.get(composite.id))!.document).to.deep.equal(asStored(composite.document));
      });
    });

    describe('the write listener', () => {
      /**
       * Every write method, typed by the port: a method added to AssetWrites fails to compile until
       * it is here, so no write can skip the listener (the API's shared listings) unnoticed. Each
       * call ends refused where it can, since a refused write may still have committed elsewhere.
       */
      const everyWrite: Record<keyof AssetWrites, (writes: AssetWrites) => Promise<unknown>> = {
        create: (writes) => create(writes),
        update: (writes) => writes.update('no-such-asset', () => Promise.reject(new Error('never called')), API),
        delete: (writes) => writes.delete('no-such-asset', API),
        softDelete: (writes) => writes.softDelete('no-such-asset', softDeleteRequest()),
        restore: (writes) => writes.restore('no-such-asset', 'admin@example.com', new Date()),
      };

      for (const [method, call] of Object.entries(everyWrite)) {
        it(`${method} tells the listener once it has finished, committed or refused`, async () => {
          let heard = 0;
          let settled = false;
          const listening = await make({
            onWrite: () => {
              // Heard before the caller goes on: the write's promise has not settled yet.
              expect(settled).to.equal(false);
              heard++;
            },
          });
          await call(listening.writes).then(
            () => undefined,
            () => undefined,
          );
          settled = true;
          expect(heard).to.equal(1);
        });
      }

      it('reads and deleted-asset bookkeeping are not writes the listener hears', async () => {
        let heard = 0;
        const listening = await make({ onWrite: () => heard++ });
        await listening.queries.list(listQuery());
        await listening.deleted.removeDeleted('no-such-asset');
        expect(heard).to.equal(0);
      });
    });
  });
}
