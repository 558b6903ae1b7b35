import { Firestore, GeoPoint, Timestamp } from '@google-cloud/firestore';
import { expect } from 'chai';
import { decodeValue, encodeValue, plainDocumentOf, sameValue, storedDocumentOf } from '../../functions/adapters/firestore/firestore-values.js';
import { clientJsonOf, samePlainValue, timestampIsoOf } from '../../functions/domain/plain-document.js';
import { creatorDescriptionMigration as migration } from '../../functions/migration/migrations/2025-06-creator-description.js';
import { legacyAsset as storedLegacyAsset } from '../../scripts/lib/legacy-asset-generator.js';

/** Migrations see plain documents: the stored legacy asset as the runner gives it to them. */
const legacyAsset = (index: number) => plainDocumentOf(storedLegacyAsset(index));

describe('migration 2025-06-creator-description (pure up)', () => {
  it('sets creatorDescription from name and legacy aiMetadata with createdAt as ISO, without mutating its input', () => {
    const document = legacyAsset(3);
    // Plain JSON: nothing in it that structuredClone or a deep comparison cannot see.
    expect(document['createdAt']).to.deep.equal({ $ts: [1735689780, 0] });
    const copy = structuredClone(document);
    const migrated = migration.up(document);
    expect(migrated['creatorDescription']).to.equal(document['name']);
    expect(migrated['aiMetadata']).to.deep.equal({
      generatedBy: 'Legacy',
      generationStrategy: 'pre-ai',
      generatedAt: '2025-01-01T00:03:00.000Z',
      confidence: 0.5,
    });
    expect(document).to.deep.equal(copy);
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

/** A stored document with every kind of value Firestore gives back, and a map whose key starts with $. */
function everyStoredKind(db: Firestore) {
  return {
    at: new Timestamp(1700000000, 123456789),
    where: new GeoPoint(48.85, 2.35),
    raw: Buffer.from([0, 1, 255]),
    ref: db.doc('assets/x'),
    odd: { $ts: 'not a timestamp', plain: [1, 'two', null, { nested: true }] },
    inf: Number.POSITIVE_INFINITY,
  };
}

describe('backup file encoding', () => {
  const db = new Firestore({ projectId: 'nna-test' });

  it('round-trips Firestore values and maps whose keys start with $', () => {
    const value = everyStoredKind(db);
    const decoded = decodeValue(JSON.parse(JSON.stringify(encodeValue(value))), db);
    expect(sameValue(decoded, value)).to.equal(true);
    expect(sameValue({ at: '2023-11-14T22:13:20.123Z' }, { at: new Timestamp(1700000000, 123000000) })).to.equal(false);
  });
});

describe('plain documents (what migrations see)', () => {
  const db = new Firestore({ projectId: 'nna-test' });
  const stored = everyStoredKind(db);

  it('round-trip the stored values, and compare as the stored values do', () => {
    const plain = plainDocumentOf(stored);
    expect(JSON.parse(JSON.stringify(plain))).to.deep.equal(plain);
    expect(sameValue(storedDocumentOf(plain, db), stored)).to.equal(true);
    const reordered = Object.fromEntries(Object.entries(plain).reverse());
    expect(samePlainValue(reordered, plain)).to.equal(true);
    expect(samePlainValue(plainDocumentOf({ ...stored, at: new Timestamp(1700000000, 123456788) }), plain)).to.equal(false);
    expect(samePlainValue({ at: '2023-11-14T22:13:20.123Z' }, { at: plain['at'] })).to.equal(false);
  });

  it('read timestamps as the database client does, and give clients the ISO text they read', () => {
    for (const time of [new Timestamp(1700000000, 123456789), new Timestamp(0, 999999), new Timestamp(-1, 500000000)]) {
      expect(timestampIsoOf(encodeValue(time))).to.equal(time.toDate().toISOString());
    }
    expect(timestampIsoOf({ $ts: 'not a timestamp' })).to.equal(undefined);
    const client = clientJsonOf(plainDocumentOf(stored)) as Record<string, unknown>;
    expect(client['at']).to.equal('2023-11-14T22:13:20.123Z');
    expect(client['odd']).to.deep.equal({ $ts: 'not a timestamp', plain: [1, 'two', null, { nested: true }] });
    expect(client['inf']).to.equal(Number.POSITIVE_INFINITY);
  });
});
