import { Firestore, GeoPoint, Timestamp } from '@google-cloud/firestore';
import { expect } from 'chai';
import { decodeValue, encodeValue, sameValue } from '../../functions/adapters/firestore/firestore-values.js';
import { creatorDescriptionMigration as migration } from '../../functions/migration/migrations/2025-06-creator-description.js';
import { legacyAsset } from '../../scripts/lib/legacy-asset-generator.js';

describe('migration 2025-06-creator-description (pure up)', () => {
  it('sets creatorDescription from name and legacy aiMetadata with createdAt as ISO, without mutating its input', () => {
    const document = legacyAsset(3);
    const copy = structuredClone({ ...document, createdAt: null, updatedAt: null });
    const migrated = migration.up(document);
    expect(migrated['creatorDescription']).to.equal(document['name']);
    expect(migrated['aiMetadata']).to.deep.equal({
      generatedBy: 'Legacy',
      generationStrategy: 'pre-ai',
      generatedAt: '2025-01-01T00:03:00.000Z',
      confidence: 0.5,
    });
    expect({ ...document, createdAt: null, updatedAt: null }).to.deep.equal(copy);
    expect(migration.selects(migrated)).to.equal(false);
    expect(migration.verify(migrated)).to.deep.equal([]);
  });

  it('never touches fields an asset already has', () => {
    const complete = legacyAsset(10);
    expect(migration.selects(complete)).to.equal(false);
    const partial = migration.up(legacyAsset(5));
    expect(partial['creatorDescription']).to.equal('Only a description for asset 5');
  });

  it('verify names what is missing or malformed', () => {
    expect(migration.verify(legacyAsset(1))).to.deep.equal(['creatorDescription: missing', 'aiMetadata: missing']);
    const bad = { ...migration.up(legacyAsset(1)), aiMetadata: { generatedBy: 'Legacy' } };
    expect(migration.verify(bad).join('\n')).to.match(/aiMetadata\.generationStrategy/);
  });
});

describe('backup file encoding', () => {
  const db = new Firestore({ projectId: 'nna-test' });

  it('round-trips Firestore values and maps whose keys start with $', () => {
    const value = {
      at: new Timestamp(1700000000, 123456789),
      where: new GeoPoint(48.85, 2.35),
      raw: Buffer.from([0, 1, 255]),
      ref: db.doc('assets/x'),
      odd: { $ts: 'not a timestamp', plain: [1, 'two', null, { nested: true }] },
      inf: Number.POSITIVE_INFINITY,
    };
    const decoded = decodeValue(JSON.parse(JSON.stringify(encodeValue(value))), db);
    expect(sameValue(decoded, value)).to.equal(true);
    expect(sameValue({ at: '2023-11-14T22:13:20.123Z' }, { at: new Timestamp(1700000000, 123000000) })).to.equal(false);
  });
});
