import { expect } from 'chai';
import { admissionOf, counterBumpsOf, decideBatch, unknownCounterKeys, type Candidate } from '../../functions/cutover/import-decision.js';
import { prepareLegacyAsset, storedDocumentOf } from '../../functions/cutover/legacy-asset.js';
import type { Counter, TargetDocument, Version } from '../../functions/cutover/ports.js';
import { taxonomy } from '../../functions/domain/taxonomy/taxonomy.js';
import { stagingAssets } from '../support/staging-export.js';

const PROVENANCE = { source: 'export.json', importedAt: '2026-01-01T00:00:00.000Z' };
const VERSION = 1 as unknown as Version;
const noNames = { get: (): string | undefined => undefined };

function candidate(index: number, overrides: Record<string, unknown> = {}): Candidate {
  return { position: `line ${index + 1}`, prepared: prepareLegacyAsset(taxonomy, { ...stagingAssets()[index]!, ...overrides }) };
}

const absent = (id: string): TargetDocument => ({ id, data: undefined, version: undefined, deletedHere: false });
const storedAs = (chosen: Candidate, importedAt = '2025-12-01T00:00:00.000Z'): TargetDocument => ({
  id: chosen.prepared.id,
  data: storedDocumentOf(chosen.prepared, undefined, { source: 'an older export.json', importedAt }),
  version: VERSION,
  deletedHere: false,
});

describe('import: the decision per batch (pure)', () => {
  it('creates what the target lacks, leaves what it holds unchanged alone, updates what changed over the version read', () => {
    const fresh = candidate(0);
    const same = candidate(1);
    const changed = candidate(2, { description: 'new words' });
    const states = [absent(fresh.prepared.id), storedAs(same), storedAs(candidate(2))];
    const decision = decideBatch([fresh, same, changed], states, noNames, PROVENANCE);
    expect(decision.outcomes).to.deep.equal(['created', 'unchanged', 'updated']);
    expect(decision.writes.map((write) => [write.before, write.after['description']])).to.deep.equal([
      [states[0], fresh.prepared.fields['description']],
      [states[2], 'new words'],
    ]);
    expect(decision.writes[1]!.after['_sys']).to.have.nested.property('imported.importedAt', PROVENANCE.importedAt);
  });

  it('refuses an asset deleted here, and a name held by another asset of the target or of the batch', () => {
    const [deleted, held, first] = [candidate(0), candidate(1), candidate(2)];
    const twin = candidate(3, { _id: '0123456789abcdef01234567', name: first.prepared.fields['name'] });
    const names = { get: (key: string) => (key === held.prepared.nameKey ? 'api-asset' : undefined) };
    const states = [{ ...absent(deleted.prepared.id), deletedHere: true }, absent(held.prepared.id), absent(first.prepared.id), absent(twin.prepared.id)];
    const { outcomes, writes } = decideBatch([deleted, held, first, twin], states, names, PROVENANCE);
    expect(outcomes.map((outcome) => (typeof outcome === 'string' ? outcome : outcome.reason))).to.deep.equal([
      'deleted-here',
      'name-conflict',
      'created',
      'name-conflict',
    ]);
    expect(outcomes[1]).to.deep.include({ position: 'line 2', message: `${held.prepared.nameKey} is already held by asset api-asset in this backend` });
    expect(writes).to.have.length(1);
    const own = { get: () => first.prepared.id };
    expect(decideBatch([first], [absent(first.prepared.id)], own, PROVENANCE).outcomes).to.deep.equal(['created']);
  });

  it('needs each path counter raised to the highest sequence of the batch, and only raises counters', () => {
    const batch = [candidate(2), candidate(5)];
    expect(batch.map((entry) => entry.prepared.address!.sequenceKey)).to.deep.equal(['G.POP.TEN', 'G.POP.TEN']);
    const { needed } = decideBatch(
      batch,
      batch.map((entry) => absent(entry.prepared.id)),
      noNames,
      PROVENANCE,
    );
    expect([...needed]).to.deep.equal([['G.POP.TEN', 3]]);
    const known = new Map<string, Counter>();
    expect(unknownCounterKeys(needed, known)).to.deep.equal(['G.POP.TEN']);
    known.set('G.POP.TEN', { key: 'G.POP.TEN', last: 1, version: VERSION });
    expect(counterBumpsOf(needed, known)).to.deep.equal([{ key: 'G.POP.TEN', last: 3, version: VERSION }]);
    known.set('G.POP.TEN', { key: 'G.POP.TEN', last: 7, version: VERSION });
    expect(counterBumpsOf(needed, known)).to.deep.equal([]);
  });

  it('admits a record as a candidate, or fails it as bad input with its id, and marks what --since leaves out', () => {
    const asset = stagingAssets()[0]!;
    const since = Date.parse(asset.updatedAt);
    expect(admissionOf({ position: 'line 1', document: asset }, taxonomy, Date.now(), since)).to.deep.include({ skipped: false });
    expect(admissionOf({ position: 'line 1', document: asset }, taxonomy, Date.now(), since + 1)).to.deep.include({ skipped: true });
    expect(admissionOf({ position: 'line 1', document: { ...asset, name: 7 } }, taxonomy, Date.now(), undefined)).to.deep.equal({
      failure: { position: 'line 1', id: asset._id, reason: 'bad-input', message: 'name: must be a non-empty string' },
    });
    expect(admissionOf({ position: 'page 2 item 3', error: 'not an object' }, taxonomy, Date.now(), undefined)).to.deep.equal({
      failure: { position: 'page 2 item 3', reason: 'bad-input', message: 'not an object' },
    });
  });
});
