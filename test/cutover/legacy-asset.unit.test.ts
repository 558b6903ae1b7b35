import { expect } from 'chai';
import { decodeExtendedJsonText } from '../../functions/cutover/adapters/extended-json.js';
import { prepareLegacyAsset, storedDocumentOf } from '../../functions/cutover/legacy-asset.js';
import { ValidationError } from '../../functions/domain/errors.js';
import { taxonomy } from '../../functions/domain/taxonomy/taxonomy.js';
import { stagingAssets } from '../support/staging-export.js';

const star = (): Record<string, unknown> => ({ ...stagingAssets().find((asset) => asset.name === 'S.POP.DIV.001')! });
const kinds = (document: Record<string, unknown>): string[] => prepareLegacyAsset(taxonomy, document).anomalies.map((anomaly) => anomaly.kind);

describe('import: the transform of one legacy document (pure)', () => {
  it('keeps every source field but _id verbatim and adds codes and _sys beside them', () => {
    const source = star();
    const prepared = prepareLegacyAsset(taxonomy, source);
    const stored = storedDocumentOf(prepared, undefined, { source: 'export.json', importedAt: '2026-01-01T00:00:00.000Z' });
    const { _id, ...fields } = source;
    expect(_id).to.be.a('string');
    expect(stored).to.deep.include(fields);
    expect(stored).to.include({ categoryCode: 'POP', subcategoryCode: 'DIV' });
    expect(stored['_sys']).to.deep.include({ sequence: 1, sequenceKey: 'S.POP.DIV', hfn: 'S.POP.DIV.001', mfa: '2.001.002.001' });
    expect(kinds(source)).to.deep.equal([]);
  });

  it('reports each anomaly kind and imports the document as it is', () => {
    expect(kinds({ ...star(), trainingData: '{not json', rights: 'x' })).to.deep.equal(['unparseable-json', 'unparseable-json']);
    expect(kinds({ ...star(), name: 'X.FOO.BAR.001', nna_address: 'X.001.001.001' })).to.deep.equal(['unknown-taxonomy', 'broken-address']);
    expect(kinds({ ...star(), category: 'Rock' })).to.deep.equal(['taxonomy-mismatch']);
    expect(kinds({ ...star(), nna_address: 'S.001.002.009' })).to.deep.equal(['broken-address']);
    expect(kinds({ ...star(), components: ['S.999.999.001'] })).to.deep.equal(['dangling-component']);
    expect(kinds({ ...star(), components: [''] })).to.deep.equal([]);
    expect(kinds({ ...star(), tags: 'pop', createdAt: undefined })).to.deep.equal(['unexpected-field', 'unexpected-field']);
    const unknownOnly = prepareLegacyAsset(taxonomy, { _id: '0123456789abcdef01234567', name: 'Q.1', layer: 'Q' });
    expect(storedDocumentOf(unknownOnly, undefined, { source: 's', importedAt: 'now' })['_sys']).to.have.all.keys('search', 'imported');
  });

  it('refuses what cannot be imported: no _id, name or layer, a reserved or unstorable field', () => {
    for (const [document, message] of [
      [{ ...star(), _id: undefined }, '_id: missing'],
      [{ ...star(), name: '' }, 'name: must be a non-empty string'],
      [{ ...star(), layer: undefined }, 'layer: missing'],
      [{ ...star(), _sys: {} }, '_sys:'],
      [{ ...star(), matrix: [[1]] }, 'matrix[0]: an array inside an array cannot be stored'],
    ] as const) {
      expect(() => prepareLegacyAsset(taxonomy, document as Record<string, unknown>)).to.throw(ValidationError, message);
    }
  });

  it('decodes Extended JSON to what the old backend served, and refuses what it never served', () => {
    const decoded = decodeExtendedJsonText(
      '{"_id":{"$oid":"686885a25f3e9d1c2b1a2b00"},"at":{"$date":{"$numberLong":"1751680418417"}},"n":{"$numberInt":"2"},"x":{"$numberDouble":"1.5"}}',
    );
    expect(decoded).to.deep.equal({ _id: '686885a25f3e9d1c2b1a2b00', at: '2025-07-05T01:53:38.417Z', n: 2, x: 1.5 });
    expect(() => decodeExtendedJsonText('{"a":{"$numberDecimal":"1.5"}}')).to.throw(ValidationError, 'a: holds a BSON Decimal128');
    expect(() => decodeExtendedJsonText('{"a":{"$numberLong":"9007199254740993"}}')).to.throw(ValidationError, 'beyond the integers');
    expect(() => decodeExtendedJsonText('{"a":{"$oid":"xyz"}}')).to.throw(ValidationError, 'is not valid Extended JSON');
    expect(() => decodeExtendedJsonText('{"a":{"$date":"garbage"}}')).to.throw(ValidationError, 'not a valid date');
  });
});
