import { expect } from 'chai';
import { snapshotCollection, testFirestore } from '../support/firestore-direct.js';
import { migrate, runImport } from '../support/migrate-cli.js';
import { STAGING_EXPORT } from '../support/staging-export.js';

const CREATOR = '2025-06-creator-description';
const SEARCH = '2026-12-search-index';

describe("import: the seed's migration and the search backfill on imported assets", function () {
  this.timeout(180_000);

  it('apply and verify on imported assets; a re-import keeps what they added; rollback restores the import byte for byte', async () => {
    expect((await runImport(['apply', '--from', STAGING_EXPORT, '--yes'])).code).to.equal(0);
    const imported = await snapshotCollection('assets');

    // The importer computes search terms as every writer does: the backfill finds nothing to do.
    const search = await migrate(['apply', '--migration', SEARCH, '--yes']);
    expect(search.code, search.stderr).to.equal(0);
    expect(search.report?.['counts']).to.deep.include({ scanned: 60, migrated: 0 });
    const creator = await migrate(['apply', '--migration', CREATOR, '--yes']);
    expect(creator.code, creator.stderr).to.equal(0);
    expect(creator.report?.['counts']).to.deep.include({ scanned: 60, migrated: 60, errors: 0 });
    for (const id of [CREATOR, SEARCH]) {
      const verified = await migrate(['verify', '--migration', id]);
      expect(verified.code, `${id}: ${verified.stdout.slice(-2000)}`).to.equal(0);
    }
    const star = (await testFirestore().collection('assets').where('name', '==', 'G.HIP.MOD.001').get()).docs[0]!.data();
    expect(star).to.include({ creatorDescription: 'G.HIP.MOD.001', trainingData: '{"prompts":[],"images":[],"videos":[]}' });
    const migrated = await snapshotCollection('assets');

    // The old backend unchanged: a re-import writes nothing and keeps the migration's fields.
    const again = await runImport(['apply', '--from', STAGING_EXPORT, '--yes']);
    expect(again.report?.['counts']).to.deep.include({ unchanged: 60, updated: 0 });
    expect(await snapshotCollection('assets')).to.deep.equal(migrated);
    expect((await runImport(['verify', '--from', STAGING_EXPORT])).code).to.equal(0);

    const rolledBack = await migrate(['rollback', '--migration', CREATOR, '--yes']);
    expect(rolledBack.code, rolledBack.stderr).to.equal(0);
    expect(await snapshotCollection('assets')).to.deep.equal(imported);
  });
});
