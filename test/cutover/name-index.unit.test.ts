import { expect } from 'chai';
import { NameIndex } from '../../functions/cutover/name-index.js';

const OBJECT_ID = '686885a25f3e9d1c2b1a2b00';

/** A deterministic pseudo-random sequence (a linear congruential generator), so a failure repeats. */
function randomFrom(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % below;
  };
}

describe('import: the name index (base HFN -> holder id, held compactly)', () => {
  it('tells apart every spelling the text tells apart: other digits, other prefixes, four digits, names outside the taxonomy', () => {
    const names = new NameIndex();
    const keys = [
      'G.POP.TSW.001',
      'G.POP.TSW.002',
      'G.POP.TEN.001',
      'S.POP.TSW.001',
      'G.POP.TSW.1',
      'G.POP.TSW.0001',
      'G.POP.TSW.1000',
      'G.UNDEFINED.UNDEFINED.001',
      'NOT AN HFN',
      '.001',
      '001',
    ];
    keys.forEach((key, index) => names.set(key, `${OBJECT_ID.slice(0, -2)}${String(index).padStart(2, '0')}`));
    expect(names.size).to.equal(keys.length);
    keys.forEach((key, index) => expect(names.get(key), key).to.equal(`${OBJECT_ID.slice(0, -2)}${String(index).padStart(2, '0')}`));
    for (const other of ['G.POP.TSW.003', 'G.POP.TSW.01', 'G.POP.TSW', 'X.POP.TSW.001', 'g.pop.tsw.001', 'G.POP.TSW.00A', ''])
      expect(names.has(other), other).to.equal(false);
  });

  it('gives back every kind of id exactly: ObjectIds, upper-case hex, the API’s own ids', () => {
    const names = new NameIndex();
    const ids = [OBJECT_ID, OBJECT_ID.toUpperCase(), 'Xk3p9QqLmN2bV7rT1sYz', '0f8c1e2a-3b4d-4c5e-8f6a-7b8c9d0e1f2a', '68688', `${OBJECT_ID}0`];
    ids.forEach((id, index) => names.set(`G.POP.TSW.00${index}`, id));
    ids.forEach((id, index) => expect(names.get(`G.POP.TSW.00${index}`)).to.equal(id));
  });

  it('moves a name to its new holder and forgets deleted names, whatever the order (checked against a Map of strings)', () => {
    const names = new NameIndex();
    const model = new Map<string, string>();
    const random = randomFrom(21);
    const prefixes = ['G.POP.TSW', 'S.POP.BAS', 'C.FUL.POP', 'L.STG.RFP'];
    const keyOf = (): string => {
      const prefix = prefixes[random(prefixes.length)]!;
      const kind = random(10);
      // Mostly HFNs, some four-digit sequences and names outside the taxonomy (kept as text).
      return kind === 0 ? `${prefix}.${1000 + random(50)}` : kind === 1 ? `UNKNOWN-${random(50)}` : `${prefix}.${String(random(400)).padStart(3, '0')}`;
    };
    const idOf = (): string => (random(5) === 0 ? `api-${random(300)}` : random(1_000_000).toString(16).padStart(24, '0'));
    for (let step = 0; step < 20_000; step++) {
      const key = keyOf();
      if (random(3) === 0) {
        names.delete(key);
        model.delete(key);
      } else {
        const id = idOf();
        names.set(key, id);
        model.set(key, id);
      }
    }
    expect(names.size).to.equal(model.size);
    for (let probe = 0; probe < 5_000; probe++) {
      const key = keyOf();
      expect(names.get(key), key).to.equal(model.get(key));
      expect(names.has(key), key).to.equal(model.has(key));
    }
  });
});
