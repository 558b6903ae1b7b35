import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../../functions/domain/errors.js';
import { hfnOf, joinComposite, mfaOf, parseAddress, type ParsedAddress } from '../../functions/domain/naming.js';

/** The whole HFN or MFA of a parsed address, composites included. */
const toHfn = (address: ParsedAddress): string => joinComposite(hfnOf(address.base), address.components.map(hfnOf));
const toMfa = (address: ParsedAddress): string => joinComposite(mfaOf(address.base), address.components.map(mfaOf));
import { taxonomy } from '../../functions/domain/taxonomy/taxonomy.js';
import { PROJECT_ROOT } from '../support/test-environment.js';

interface Examples {
  accepted: Array<{ layer: string; category: string; subcategory: string; categoryName: string; subcategoryName: string }>;
  refused: Array<{ layer: string; category: string; subcategory: string; path: string; error: string }>;
  conversions: Array<{ hfn: string; mfa: string }>;
}
const examples = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/taxonomy-examples.json'), 'utf8')) as Examples;

describe('taxonomy', () => {
  it('holds the 10 layers, 114 categories and 770 subcategories of v1.3', () => {
    const categories = taxonomy.layers.flatMap((layer) => layer.categories);
    expect(taxonomy.version).to.equal('1.3');
    expect(taxonomy.layers.map((layer) => layer.code)).to.deep.equal(['G', 'S', 'L', 'M', 'W', 'B', 'P', 'T', 'C', 'R']);
    expect(categories).to.have.length(114);
    expect(categories.flatMap((category) => category.subcategories)).to.have.length(770);
  });

  it('round-trips every entry HFN -> MFA -> HFN', () => {
    let checked = 0;
    for (const layer of taxonomy.layers) {
      for (const category of layer.categories) {
        for (const subcategory of category.subcategories) {
          const parts = { path: { layer, category, subcategory }, sequence: 7 };
          const hfn = hfnOf(parts);
          const mfa = mfaOf(parts);
          expect(toMfa(parseAddress(taxonomy, hfn)), hfn).to.equal(mfa);
          expect(toHfn(parseAddress(taxonomy, mfa)), mfa).to.equal(hfn);
          checked++;
        }
      }
    }
    expect(checked).to.equal(770);
  });

  for (const example of examples.accepted) {
    it(`accepts ${example.layer}/${example.category}/${example.subcategory}`, () => {
      const resolved = taxonomy.resolve(example);
      expect(resolved.category.name).to.equal(example.categoryName);
      expect(resolved.subcategory.name).to.equal(example.subcategoryName);
    });
  }

  for (const example of examples.refused) {
    it(`refuses ${example.layer}/${example.category}/${example.subcategory} naming it`, () => {
      expect(() => taxonomy.resolve(example))
        .to.throw(ValidationError)
        .with.property('details')
        .that.deep.equals([{ path: example.path, issue: example.error }]);
    });
  }

  it('never replaces a chosen subcategory with Base', () => {
    expect(taxonomy.resolve({ layer: 'S', category: 'POP', subcategory: 'HPM' }).subcategory.code).to.equal('HPM');
  });

  it('accepts names regardless of case, spaces and underscores', () => {
    expect(taxonomy.resolve({ layer: 'songs', category: 'hip hop', subcategory: 'BOOM-BAP' }).subcategory.code).to.equal('BBP');
  });
});

describe('naming', () => {
  for (const { hfn, mfa } of examples.conversions) {
    it(`converts ${hfn} <-> ${mfa}`, () => {
      expect(toMfa(parseAddress(taxonomy, hfn))).to.equal(mfa);
      expect(toHfn(parseAddress(taxonomy, mfa))).to.equal(hfn);
    });
  }

  it('reads HFNs case-insensitively', () => {
    expect(toMfa(parseAddress(taxonomy, 's.pop.bas.001'))).to.equal('2.001.001.001');
  });

  it("reads the old backend's letter-form MFAs (G.003.003.001) as the numeric MFA", () => {
    expect(toMfa(parseAddress(taxonomy, 'G.003.003.001'))).to.equal('1.003.003.001');
    expect(toHfn(parseAddress(taxonomy, 'G.003.003.001'))).to.equal('G.HIP.MOD.001');
    expect(parseAddress(taxonomy, 'g.003.003.001').kind).to.equal('mfa');
  });

  it("reads the old backend's colon composites, whose components are letter-form MFAs", () => {
    const parsed = parseAddress(taxonomy, 'C.FUL.POP.125:G.003.003.001:S.001.002.004:L.006.005.001');
    expect(parsed.kind).to.equal('hfn');
    expect(toHfn(parsed)).to.equal('C.FUL.POP.125:G.HIP.MOD.001+S.POP.DIV.004+L.URB.SKT.001');
    expect(toMfa(parseAddress(taxonomy, 'C.003.001.125'))).to.equal('9.003.001.125');
  });

  it('never reads an HFN whose codes hold digits (L.Y2K.L9T.001) as a letter-form MFA', () => {
    expect(toMfa(parseAddress(taxonomy, 'L.Y2K.L9T.001'))).to.match(/^3\.\d{3}\.\d{3}\.001$/);
  });

  for (const bad of [
    '',
    'S.POP.BAS',
    'S.POP.BAS.1',
    'X.POP.BAS.001',
    'S.ZZZ.BAS.001',
    '2.001.001',
    '99.001.001.001',
    'C.RMX.POP.001:',
    'C.RMX.POP.001:S.FAN.BAS.001+',
    'C.RMX.POP.001:S.FAN.BAS.001::L.VIN.BAS.001',
    'G.999.003.001',
    'Q.001.001.001',
  ]) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      expect(() => parseAddress(taxonomy, bad)).to.throw(ValidationError);
    });
  }
});
