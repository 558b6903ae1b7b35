/**
 * What the use cases rely on from a HistoryReader, with the entries the repository's writes record
 * in their own transactions: run against the Firestore adapters and against the in-memory fake.
 */
import { expect } from 'chai';
import { NotFoundError } from '../../functions/domain/errors.js';
import { HISTORY_BEFORE_CAP_BYTES } from '../../functions/domain/history-entry.js';
import { asStored, legacyDocument, newAsset, rejectionOf, sleep, type AssetStoreUnderTest, type MakeAssetStore, without } from './asset-documents.js';

const API = { writer: 'api', actor: 'editor@example.com' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export function describeHistoryReaderContract(name: string, make: MakeAssetStore): void {
  describe(`HistoryReader contract: ${name}`, function () {
    this.timeout(30_000);
    let store: AssetStoreUnderTest;
    beforeEach(async () => {
      store = await make();
    });

    /** Entries a millisecond apart at least, so that newest-first has one answer. */
    async function createdAndUpdated() {
      const { key, build } = newAsset();
      const created = await store.writes.create(key, build, API);
      await sleep(5);
      const updated = await store.writes.update(created.id, (current) => Promise.resolve({ ...current.document, description: 'second' }), {
        writer: 'revert',
        actor: 'admin@example.com',
      });
      return { created, updated };
    }

    it('records every write with its writer, actor and changed fields, newest first, without the registry fields', async () => {
      const { created } = await createdAndUpdated();
      const { items } = await store.history.page(created.id, { limit: 10 });
      expect(items.map((item) => [item.writer, item.actor])).to.deep.equal([
        ['revert', 'admin@example.com'],
        ['api', 'editor@example.com'],
      ]);
      const [update, creation] = items;
      expect(update!.changedFields).to.deep.equal(['description']);
      expect(update!.beforeScope).to.equal('document');
      const visible = without(asStored(created.document), '_sys');
      expect(update!.before).to.deep.equal(visible);
      expect(creation!.before).to.equal(undefined);
      expect(creation!.changedFields).to.include.members(['name', 'description', 'createdAt']);
      expect(creation!.changedFields).to.not.include('_sys');
      expect(Date.parse(update!.at)).to.be.greaterThan(Date.parse(creation!.at));
      expect(await store.history.entry(created.id, update!.version)).to.deep.equal(update);
    });

    it('pages newest first with a cursor; an unknown cursor or version is NotFoundError', async () => {
      const { created } = await createdAndUpdated();
      await sleep(5);
      await store.writes.update(created.id, (current) => Promise.resolve({ ...current.document, description: 'third' }), API);
      const first = await store.history.page(created.id, { limit: 2 });
      expect(first.items.map((item) => item.before?.['description'] ?? null)).to.deep.equal(['second', 'A contract asset']);
      expect(first.nextCursor).to.equal(first.items[1]!.version);
      const second = await store.history.page(created.id, { limit: 2, cursor: first.nextCursor });
      expect(second.items.map((item) => item.writer)).to.deep.equal(['api']);
      expect(second).to.not.have.property('nextCursor');
      expect(await rejectionOf(store.history.page(created.id, { limit: 2, cursor: 'no-such-entry' }))).to.be.instanceOf(NotFoundError);
      expect(await rejectionOf(store.history.entry(created.id, 'no-such-entry'))).to.be.instanceOf(NotFoundError);
      expect(await store.history.page('no-such-asset', { limit: 2 })).to.deep.equal({ items: [] });
    });

    it('keeps the history of a deleted, restored and purged asset, with the deletion and the restore', async () => {
      const { key, build } = newAsset();
      const created = await store.writes.create(key, build, API);
      const now = new Date(Date.now() + 1000);
      await store.writes.softDelete(created.id, {
        check: () => undefined,
        deletedBy: 'editor@example.com',
        force: false,
        now,
        purgeAt: new Date(now.getTime() + DAY_MS),
      });
      await store.writes.restore(created.id, 'admin@example.com', new Date(now.getTime() + 1000));
      const { items } = await store.history.page(created.id, { limit: 10 });
      expect(items.map((item) => [item.writer, item.actor])).to.deep.equal([
        ['restore', 'admin@example.com'],
        ['delete', 'editor@example.com'],
        ['api', 'editor@example.com'],
      ]);
      expect(items[1]!.at).to.equal(now.toISOString());
      const visible = without(asStored(created.document), '_sys');
      expect(items[1]!.before).to.deep.equal(visible);
      await store.writes.delete(created.id, { writer: 'api', actor: null });
      const after = await store.history.page(created.id, { limit: 10 });
      expect(after.items).to.have.length(4);
      expect(after.items.find((item) => item.actor === null)).to.deep.include({ writer: 'api', beforeScope: 'document' });
    });

    it('keeps only the changed fields of a before-image over the cap, and none when even those are over it', async () => {
      const big = 'x'.repeat(HISTORY_BEFORE_CAP_BYTES);
      await store.seed('large', legacyDocument('S.POP.BAS.001', { notes: big }));
      await store.writes.update('large', (current) => Promise.resolve({ ...current.document, description: 'small change' }), API);
      await sleep(5);
      await store.writes.update('large', (current) => Promise.resolve({ ...current.document, notes: 'short now' }), API);
      const { items } = await store.history.page('large', { limit: 10 });
      expect(items.map((item) => item.beforeScope)).to.deep.equal(['omitted', 'changed-fields']);
      expect(items[1]!.before).to.deep.equal({ description: 'legacy S.POP.BAS.001' });
      expect(items[0]).to.not.have.property('before');
      expect(items[0]!.changedFields).to.deep.equal(['notes']);
    });
  });
}
