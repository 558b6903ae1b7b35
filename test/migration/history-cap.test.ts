import { expect } from 'chai';
import { HISTORY_BEFORE_CAP_BYTES } from '../../functions/domain/history-entry.js';
import { legacyAsset, legacyAssetId } from '../../scripts/lib/legacy-asset-generator.js';
import { snapshotCollection, testFirestore } from '../support/firestore-direct.js';
import { migrate } from '../support/migrate-cli.js';
import { MIGRATION_ID, seedMigrationFixture } from '../support/migration-fixture.js';

/** A migration's backups are history entries written by the same writer as the API's, so with its before-image cap. */
describe('migrate: history backups keep to the before-image cap', function () {
  this.timeout(120_000);

  const entryOf = async (index: number, migrationId = MIGRATION_ID) =>
    (
      await testFirestore()
        .doc(`assets/${legacyAssetId(index)}/history/migration-${migrationId}`)
        .get()
    ).data();

  it('a document past the cap keeps only its changed fields in its entry, and rollback still restores it exactly', async () => {
    await seedMigrationFixture(20);
    // 700 KiB of a legacy field the migration leaves alone: the whole before-image would pass the cap.
    await testFirestore()
      .collection('assets')
      .doc(legacyAssetId(1))
      .set({ ...legacyAsset(1), legacyNotes: 'n'.repeat(700 * 1024) });
    const before = await snapshotCollection('assets');

    const applied = await migrate(['apply', '--migration', MIGRATION_ID, '--yes']);
    expect(applied.code, applied.stderr).to.equal(0);
    expect((applied.report?.['counts'] as Record<string, number>)['migrated']).to.equal(18);

    const huge = (await entryOf(1))!;
    expect(huge).to.include({ writer: 'migration', beforeScope: 'changed-fields', migrationId: MIGRATION_ID });
    expect(huge['changedFields']).to.deep.equal(['_sys', 'aiMetadata', 'creatorDescription']);
    expect(Buffer.byteLength(huge['before'] as string)).to.be.below(HISTORY_BEFORE_CAP_BYTES);
    expect(huge['before']).not.to.contain('nnnn');
    // An ordinary document's entry still holds the whole document.
    expect((await entryOf(2))!['beforeScope']).to.equal('document');

    const rolledBack = await migrate(['rollback', '--migration', MIGRATION_ID, '--yes']);
    expect(rolledBack.code, rolledBack.stderr).to.equal(0);
    expect((rolledBack.report?.['counts'] as Record<string, number>)['migrated']).to.equal(18);
    expect(await snapshotCollection('assets')).to.deep.equal(before);
  });

  it('a document whose changed fields alone pass the cap is not migrated, and is reported', async () => {
    await seedMigrationFixture(5);
    // The search-terms migration changes `_sys`; this one's old `_sys` is larger than the cap.
    await testFirestore()
      .collection('assets')
      .doc(legacyAssetId(1))
      .set({ ...legacyAsset(1), _sys: { legacyBlob: 'b'.repeat(600 * 1024) } });
    const before = await snapshotCollection('assets');

    const applied = await migrate(['apply', '--migration', '2025-07-search-terms', '--yes']);
    expect(applied.code, applied.stderr).to.equal(1);
    expect(applied.report?.['counts']).to.include({ migrated: 4, errors: 1 });
    expect(applied.report?.['errors']).to.deep.equal([
      {
        id: legacyAssetId(1),
        message:
          'too large to back up in its history entry (its changed fields alone pass the before-image cap); not migrated: run apply with --backup file:<path>',
      },
    ]);
    expect((await snapshotCollection('assets'))[legacyAssetId(1)]).to.deep.equal(before[legacyAssetId(1)]);
    expect(await entryOf(1, '2025-07-search-terms')).to.equal(undefined);
  });
});
