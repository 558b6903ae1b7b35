/**
 * What the importer (functions/cutover/import-assets.ts) relies on from an ImportTarget: reads by id
 * with the deleted twin, the one pass over the names, and commits that write whole or not at all,
 * each write conditional on the version read. Run against the Firestore import target and the fake.
 */
import { expect } from 'chai';
import type { LegacyDocument } from '../../functions/cutover/legacy-asset.js';
import type { Counter, ImportTarget, TargetDocument } from '../../functions/cutover/ports.js';

interface ImportTargetUnderTest {
  target: ImportTarget;
  /** Stores a document as another writer would (the API, an earlier import). */
  put(id: string, document: LegacyDocument): Promise<void>;
  /** A soft-deleted asset of this id, waiting in the deleted collection. */
  markDeleted(id: string): Promise<void>;
  putCounter(key: string, last: number): Promise<void>;
  stored(id: string): Promise<LegacyDocument | undefined>;
  counter(key: string): Promise<number | undefined>;
  historyCount(id: string): Promise<number>;
}

export type MakeImportTarget = () => Promise<ImportTargetUnderTest>;

const asset = (name: string, fields: LegacyDocument = {}): LegacyDocument => ({ name, layer: 'S', description: `about ${name}`, ...fields });
const imported = (name: string): LegacyDocument => asset(name, { _sys: { hfn: name, imported: { importedAt: '2026-01-01T00:00:00.000Z' } } });

export function describeImportTargetContract(name: string, make: MakeImportTarget): void {
  describe(`ImportTarget contract: ${name}`, function () {
    this.timeout(30_000);
    let under: ImportTargetUnderTest;
    let target: ImportTarget;
    beforeEach(async () => {
      under = await make();
      target = under.target;
    });

    async function readOne(id: string): Promise<TargetDocument> {
      const [document] = await target.read([id]);
      return document!;
    }

    it('reads by id in the order asked: a missing document, a stored one, one deleted here; each read billed', async () => {
      await under.put('stored', asset('S.POP.BAS.001'));
      await under.markDeleted('gone');
      const before = target.documentsRead;
      const documents = await target.read(['missing', 'stored', 'gone']);
      expect(documents.map(({ id, data, deletedHere }) => ({ id, data, deletedHere }))).to.deep.equal([
        { id: 'missing', data: undefined, deletedHere: false },
        { id: 'stored', data: asset('S.POP.BAS.001'), deletedHere: false },
        { id: 'gone', data: undefined, deletedHere: true },
      ]);
      expect(documents.map((document) => document.version !== undefined)).to.deep.equal([false, true, false]);
      expect(target.documentsRead - before).to.be.at.least(3);
      expect(await target.read([])).to.deep.equal([]);
    });

    it('passes over every name once: its canonical base (the stored HFN first), and whether an import wrote it', async () => {
      await under.put('api', asset('s.pop.bas.0007:extra'));
      await under.put('old', imported('S.RCK.BAS.002'));
      const names = [];
      for await (const entry of target.names()) names.push(entry);
      expect(names.sort((a, b) => (a.id < b.id ? -1 : 1))).to.deep.equal([
        { id: 'api', nameKey: 'S.POP.BAS.007', imported: false },
        { id: 'old', nameKey: 'S.RCK.BAS.002', imported: true },
      ]);
    });

    it('creates documents and counters in one commit, with a history entry each; the returned versions carry the next commit', async () => {
      const [fresh] = await target.read(['a1']);
      const [counter] = await target.readCounters(['S.POP.BAS']);
      expect(counter).to.deep.equal({ key: 'S.POP.BAS', last: 0, version: undefined });
      const first = await target.commit([{ before: fresh!, after: asset('S.POP.BAS.001') }], [{ ...counter!, last: 1 }]);
      expect(first).to.have.property('counters');
      const [bumped] = (first as { counters: Counter[] }).counters;
      expect(bumped).to.include({ key: 'S.POP.BAS', last: 1 });
      expect(await under.stored('a1')).to.deep.equal(asset('S.POP.BAS.001'));
      expect(await under.historyCount('a1')).to.equal(1);
      const [second] = await target.read(['a2']);
      expect(await target.commit([{ before: second!, after: asset('S.POP.BAS.002') }], [{ ...bumped!, last: 2 }])).to.have.property('counters');
      expect(await under.counter('S.POP.BAS')).to.equal(2);
      expect(await target.readCounters(['S.POP.BAS'])).to.have.nested.property('[0].last', 2);
    });

    it('updates a document at the version read, keeping a history entry of the change', async () => {
      await under.put('a1', imported('S.POP.BAS.001'));
      const read = await readOne('a1');
      expect(await target.commit([{ before: read, after: { ...read.data, description: 'changed' } }], [])).to.deep.equal({ counters: [] });
      expect(await under.stored('a1')).to.have.property('description', 'changed');
      expect(await under.historyCount('a1')).to.equal(1);
    });

    it('is stale, writing nothing, when a document changed, appeared or a counter moved since it was read', async () => {
      await under.put('changed', asset('S.POP.BAS.001'));
      await under.putCounter('S.POP.BAS', 4);
      const [changed, appeared] = await target.read(['changed', 'appeared']);
      const [counter] = await target.readCounters(['S.POP.BAS']);
      await under.put('changed', asset('S.POP.BAS.001', { description: 'an API write' }));
      expect(await target.commit([{ before: changed!, after: asset('S.POP.BAS.001', { description: 'import' }) }], [])).to.equal('stale');
      await under.put('appeared', asset('S.POP.BAS.002', { description: 'an API create' }));
      const fresh = await readOne('changed');
      expect(
        await target.commit(
          [
            { before: fresh, after: asset('S.POP.BAS.001') },
            { before: appeared!, after: asset('S.POP.BAS.002') },
          ],
          [],
        ),
      ).to.equal('stale');
      await under.putCounter('S.POP.BAS', 5);
      expect(await target.commit([{ before: await readOne('new'), after: asset('S.POP.BAS.006') }], [{ ...counter!, last: 6 }])).to.equal('stale');
      expect(await under.stored('changed')).to.have.property('description', 'an API write');
      expect(await under.stored('appeared')).to.have.property('description', 'an API create');
      expect(await under.stored('new')).to.equal(undefined);
      expect(await under.counter('S.POP.BAS')).to.equal(5);
      expect(await under.historyCount('changed')).to.equal(0);
    });

    it('refuses a commit holding a field name the database reserves, writing nothing of it', async () => {
      const [good, bad] = await target.read(['good', 'bad']);
      const result = await target.commit(
        [
          { before: good!, after: asset('S.POP.BAS.001') },
          { before: bad!, after: asset('S.POP.BAS.002', { __reserved__: 1 }) },
        ],
        [],
      );
      expect(result).to.have.property('refused').that.is.a('string');
      expect(await under.stored('good')).to.equal(undefined);
      expect(await under.historyCount('good')).to.equal(0);
    });
  });
}
