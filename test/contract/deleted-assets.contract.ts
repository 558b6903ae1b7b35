/**
 * What the use cases rely on from DeletedAssets (the list, the sweep's expired ones, the purge, album
 * art in use), run against the Firestore adapter and the in-memory fake.
 */
import { expect } from 'chai';
import { NotFoundError } from '../../functions/domain/errors.js';
import { create, legacyDocument, rejectionOf, softDeleteRequest, type AssetStoreUnderTest, type MakeAssetStore } from './asset-documents.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export function describeDeletedAssetsContract(name: string, make: MakeAssetStore): void {
  describe(`DeletedAssets contract: ${name}`, function () {
    this.timeout(30_000);
    let store: AssetStoreUnderTest;
    beforeEach(async () => {
      store = await make();
    });

    describe('deleted assets', () => {
      it('lists deleted assets most recently deleted first, with a cursor; an unknown cursor is NotFoundError', async () => {
        const start = Date.now();
        const ids: string[] = [];
        for (let index = 0; index < 3; index++) {
          const made = await create(store.writes);
          await store.writes.softDelete(made.id, softDeleteRequest({ now: new Date(start + index * 1000) }));
          ids.push(made.id);
        }
        const first = await store.deleted.listDeleted(2);
        expect(first.items.map((item) => item.asset.id)).to.deep.equal([ids[2], ids[1]]);
        expect(first.next).to.equal(ids[1]);
        const second = await store.deleted.listDeleted(2, first.next);
        expect(second.items.map((item) => item.asset.id)).to.deep.equal([ids[0]]);
        expect(second).to.not.have.property('next');
        expect(await rejectionOf(store.deleted.listDeleted(2, 'no-such-asset'))).to.be.instanceOf(NotFoundError);
      });

      it('finds the deleted assets whose retention has ended, oldest first, and forgets one removed', async () => {
        const now = new Date();
        const ids: string[] = [];
        for (const days of [-1, -3, 5, -2]) {
          const made = await create(store.writes);
          await store.writes.softDelete(made.id, softDeleteRequest({ now, purgeAt: new Date(now.getTime() + days * DAY_MS) }));
          ids.push(made.id);
        }
        expect((await store.deleted.expiredDeleted(now, 10)).map((item) => item.asset.id)).to.deep.equal([ids[1], ids[3], ids[0]]);
        expect((await store.deleted.expiredDeleted(now, 2)).map((item) => item.asset.id)).to.deep.equal([ids[1], ids[3]]);
        await store.deleted.removeDeleted(ids[1]!);
        await store.deleted.removeDeleted('never-deleted');
        expect(await store.deleted.getDeleted(ids[1]!)).to.equal(undefined);
        expect((await store.deleted.expiredDeleted(now, 10)).map((item) => item.asset.id)).to.deep.equal([ids[3], ids[0]]);
      });

      it('says whether another live or deleted asset uses album art with a content key', async () => {
        await store.seed('art-live', legacyDocument('M.POP.BAS.001', { albumArt: { sha256: 'k1' } }));
        await store.seed('art-old', legacyDocument('M.POP.BAS.002', { albumArt: { original: { sha256: 'k2' } } }));
        await store.seed('art-deleted', legacyDocument('M.POP.BAS.003', { albumArt: { sha256: 'k3' } }));
        await store.writes.softDelete('art-deleted', softDeleteRequest());
        expect(await store.deleted.albumArtInUse('k1', 'other')).to.equal(true);
        expect(await store.deleted.albumArtInUse('k1', 'art-live')).to.equal(false);
        expect(await store.deleted.albumArtInUse('k2', 'other')).to.equal(true);
        expect(await store.deleted.albumArtInUse('k3', 'other')).to.equal(true);
        expect(await store.deleted.albumArtInUse('k3', 'art-deleted')).to.equal(false);
        expect(await store.deleted.albumArtInUse('k4', 'other')).to.equal(false);
      });
    });
  });
}
