import { expect } from 'chai';
import { canonicalFieldsAfter, inRegistryShape } from '../../functions/domain/registry-shape.js';
import type { StoredAssetDocument } from '../../functions/domain/stored-asset.js';
import { registryShapeMigration as migration } from '../../functions/migration/migrations/2026-12-registry-shape.js';
import type { PlainDocument } from '../../functions/migration/migration.js';

const AT = '2026-11-01T10:00:00.000Z';

/** A composite as the API wrote it before the one shape. */
const earlierComposite: StoredAssetDocument = {
  name: 'C.RMX.POP.001:S.POP.BAS.001+G.HIP.MOD.001',
  nna_address: '9.001.001.001:2.001.001.001+1.003.003.001',
  layer: 'C',
  category: 'Music_Video_ReMixes',
  subcategory: 'Pop_ReMixes',
  components: ['S.POP.BAS.001', 'G.HIP.MOD.001'],
  trainingData: { prompts: [], images: [], videos: [] },
  createdBy: 'a@example.com',
  createdAt: AT,
  updatedAt: AT,
  _sys: { sequence: 1, sequenceKey: 'C.RMX.POP', hfn: 'C.RMX.POP.001', mfa: '9.001.001.001' },
};

/** A document of the seed's era: no `_sys`, served as stored. */
const seedEra: StoredAssetDocument = {
  name: 'S.VAV.BAS.001',
  nna_address: '2.014.001.001',
  layer: 'S',
  category: 'Virtual_Avatars',
  subcategory: 'Base',
  trainingData: { prompts: [], images: [], videos: [] },
  createdAt: AT,
  updatedAt: AT,
};

describe('one shape (registry-shape.ts and the 2026-12-registry-shape migration)', () => {
  it('puts an earlier composite in the old forms, keeping its HFNs in _sys, without mutating its input', () => {
    const copy = structuredClone(earlierComposite);
    const shaped = inRegistryShape(earlierComposite);
    expect(earlierComposite).to.deep.equal(copy);
    expect(shaped).to.deep.include({
      name: 'C.RMX.POP.001:S.001.001.001:G.003.003.001',
      nna_address: 'C.001.001.001',
      components: ['S.001.001.001', 'G.003.003.001'],
      trainingData: '{"prompts":[],"images":[],"videos":[]}',
      registeredBy: 'a@example.com',
      __v: 0,
    });
    expect(shaped._sys).to.deep.include({ components: ['S.POP.BAS.001', 'G.HIP.MOD.001'] });
    expect(inRegistryShape(shaped)).to.deep.equal(shaped);
    const plain = earlierComposite as unknown as PlainDocument;
    expect(migration.selects(plain)).to.equal(true);
    expect(migration.selects(migration.up(plain))).to.equal(false);
    expect(migration.verify(migration.up(plain))).to.deep.equal([]);
  });

  it('serves the canonical forms beside the old ones', () => {
    const shaped = inRegistryShape(earlierComposite);
    expect(canonicalFieldsAfter('nna_address', shaped)).to.deep.equal([
      ['hfn', 'C.RMX.POP.001:S.POP.BAS.001+G.HIP.MOD.001'],
      ['mfa', '9.001.001.001'],
    ]);
    expect(canonicalFieldsAfter('trainingData', shaped)).to.deep.equal([['trainingDataInfo', { prompts: [], images: [], videos: [] }]]);
    // A document's own field of that name is never overwritten.
    expect(canonicalFieldsAfter('registeredBy', shaped)).to.deep.equal([]);
    expect(canonicalFieldsAfter('trainingData', { ...shaped, trainingData: 'not json' })).to.deep.equal([]);
  });

  it('leaves documents of the seed’s era alone: not selected, nothing added', () => {
    expect(inRegistryShape(seedEra)).to.equal(seedEra);
    expect(migration.selects(seedEra as unknown as PlainDocument)).to.equal(false);
    expect(canonicalFieldsAfter('nna_address', seedEra)).to.deep.equal([]);
    expect(canonicalFieldsAfter('trainingData', seedEra)).to.deep.equal([]);
  });
});
