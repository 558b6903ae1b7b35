/**
 * What the migration runner (apply, rollback, verify) relies on from a MigrationStore and its
 * Backups: documents read in id order from a cursor, commits that write whole or not at all at the
 * versions read, only the changed fields replaced, and the originals of an apply saved with its
 * writes, by generation, within the history cap. Run against the Firestore migration store and the fake.
 */
import { expect } from 'chai';
import { HISTORY_BEFORE_CAP_BYTES } from '../../functions/domain/history-entry.js';
import type { PlainDocument } from '../../functions/domain/plain-document.js';
import type { BackupEntry, Backups, MigrationStore, StoredDocument } from '../../functions/migration/ports.js';

interface MigrationStoreUnderTest {
  store: MigrationStore;
  /** The collection the store migrates: the path of its history backups. */
  collection: string;
  put(id: string, document: PlainDocument): Promise<void>;
  stored(id: string): Promise<PlainDocument | undefined>;
}

export type MakeMigrationStore = () => Promise<MigrationStoreUnderTest>;

const doc = (id: string, fields: PlainDocument = {}): PlainDocument => ({ name: `name of ${id}`, description: 'before', ...fields });

async function all<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const seen: T[][] = [];
  for await (const page of pages) seen.push(page);
  return seen;
}

const idsOf = (pages: StoredDocument[][]): string[][] => pages.map((page) => page.map((document) => document.id));

export function describeMigrationStoreContract(name: string, make: MakeMigrationStore): void {
  describe(`MigrationStore contract: ${name}`, function () {
    this.timeout(30_000);
    let under: MigrationStoreUnderTest;
    let store: MigrationStore;
    beforeEach(async () => {
      under = await make();
      store = under.store;
    });

    async function readOne(id: string): Promise<StoredDocument> {
      const [document] = await store.read([id]);
      return document!;
    }

    it('counts, streams and pages the documents in id order from a cursor, at most the limit', async () => {
      for (const id of ['d', 'a', 'c', 'b', 'e']) await under.put(id, doc(id));
      expect(await store.count()).to.equal(5);
      expect(idsOf(await all(store.stream(null, 2, undefined)))).to.deep.equal([['a', 'b'], ['c', 'd'], ['e']]);
      expect(idsOf(await all(store.stream('b', 2, 3)))).to.deep.equal([['c', 'd'], ['e']]);
      expect(idsOf(await all(store.stream(null, 2, 3)))).to.deep.equal([['a', 'b'], ['c']]);
      expect((await store.page('c', 10)).map((document) => document.id)).to.deep.equal(['d', 'e']);
      expect(await store.page('e', 1)).to.deep.equal([]);
      expect((await store.page(null, 1))[0]).to.deep.include({ id: 'a', data: doc('a') });
    });

    it('reads documents in the order asked, a missing one without data or version', async () => {
      await under.put('a', doc('a'));
      const [missing, present] = await store.read(['missing', 'a']);
      expect(missing).to.deep.equal({ id: 'missing', data: undefined, version: undefined });
      expect(present).to.deep.include({ id: 'a', data: doc('a') });
      expect(present!.version).to.be.a('string');
      expect(await store.read([])).to.deep.equal([]);
    });

    it('replaces only the changed fields at the version read, removing one the migration dropped; a whole write needs no version', async () => {
      await under.put('a', doc('a', { obsolete: true }));
      const read = await readOne('a');
      const after = { ...doc('a', { description: 'after' }), added: 1 };
      expect(await store.commit([{ id: 'a', version: read.version, before: read.data!, after, changed: ['description', 'added', 'obsolete'] }])).to.equal(true);
      expect(await under.stored('a')).to.deep.equal({ name: 'name of a', description: 'after', added: 1 });
      expect(await store.commit([{ id: 'a', before: read.data!, after: doc('a'), changed: ['description'] }])).to.equal(true);
      expect(await under.stored('a')).to.deep.equal(doc('a'));
      expect((await readOne('a')).version).to.not.equal(read.version);
    });

    it('writes nothing of a commit when a document changed since it was read', async () => {
      await under.put('a', doc('a'));
      await under.put('b', doc('b'));
      const [a, b] = await store.read(['a', 'b']);
      await under.put('b', doc('b', { description: 'an API write' }));
      const writes = [a!, b!].map((read) => ({
        id: read.id,
        version: read.version,
        before: read.data!,
        after: { ...read.data!, description: 'migrated' },
        changed: ['description'],
      }));
      expect(await store.commit(writes)).to.equal(false);
      expect(await under.stored('a')).to.deep.equal(doc('a'));
      expect(await under.stored('b')).to.deep.equal(doc('b', { description: 'an API write' }));
    });

    describe('backups', () => {
      let backups: Backups;
      beforeEach(() => {
        backups = store.openBackups({ kind: 'history', path: under.collection }, 'generation-1');
      });
      afterEach(async () => {
        await backups.close();
      });

      async function migrate(id: string, description: string) {
        const read = await readOne(id);
        return { id, version: read.version, before: read.data!, after: { ...read.data!, description }, changed: ['description'] };
      }

      const entriesOf = async (target: Backups): Promise<BackupEntry[]> => (await all(target.pages(10))).flat().sort((x, y) => (x.id < y.id ? -1 : 1));

      it('saves the originals with the migrated documents, the latest per document, of this generation only', async () => {
        expect(backups.target).to.deep.equal({ kind: 'history', path: under.collection });
        expect(backups.documentsPerCommit).to.be.at.least(1);
        await under.put('a', doc('a'));
        await under.put('b', doc('b'));
        expect(await backups.commit([await migrate('a', 'first'), await migrate('b', 'first')])).to.deep.equal({ conflict: false, unsaved: [] });
        expect(await backups.commit([await migrate('a', 'second')])).to.deep.equal({ conflict: false, unsaved: [] });
        expect(await under.stored('a')).to.have.property('description', 'second');
        expect(await entriesOf(backups)).to.deep.equal([
          { id: 'a', data: doc('a', { description: 'first' }), changedFields: ['description'], scope: 'document' },
          { id: 'b', data: doc('b'), changedFields: ['description'], scope: 'document' },
        ]);
        const other = store.openBackups({ kind: 'history', path: under.collection }, 'generation-2');
        expect(await entriesOf(other)).to.deep.equal([]);
        await other.close();
      });

      it('saves no original of a commit that met a changed document, and writes none of it', async () => {
        await under.put('a', doc('a'));
        const write = await migrate('a', 'migrated');
        await under.put('a', doc('a', { description: 'an API write' }));
        expect(await backups.commit([write])).to.deep.equal({ conflict: true, unsaved: [] });
        expect(await under.stored('a')).to.have.property('description', 'an API write');
        expect(await entriesOf(backups)).to.deep.equal([]);
      });

      it('keeps only the changed fields of an original over the history cap, and refuses one whose changed fields are over it', async () => {
        const big = 'x'.repeat(HISTORY_BEFORE_CAP_BYTES);
        await under.put('large', doc('large', { notes: big }));
        await under.put('huge', doc('huge', { description: big }));
        const result = await backups.commit([await migrate('large', 'migrated'), await migrate('huge', 'migrated')]);
        expect(result).to.deep.equal({ conflict: false, unsaved: ['huge'] });
        expect(await under.stored('huge')).to.have.property('description', big);
        expect(await under.stored('large')).to.have.property('description', 'migrated');
        expect(await entriesOf(backups)).to.deep.equal([
          { id: 'large', data: { description: 'before' }, changedFields: ['description'], scope: 'changed-fields' },
        ]);
      });
    });
  });
}
