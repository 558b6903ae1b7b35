import { expect } from 'chai';
import { testFirestore } from '../support/firestore-direct.js';
import { counters, historyWriters } from '../support/import-fixture.js';
import { runImport } from '../support/migrate-cli.js';
import { exportLine, STAGING_EXPORT, stagingAssets, writeLines } from '../support/staging-export.js';

/** Every asset's update time: a write, even of the same data, changes it. */
async function updateTimes(): Promise<Record<string, string>> {
  const snapshot = await testFirestore().collection('assets').get();
  return Object.fromEntries(snapshot.docs.map((document) => [document.id, document.updateTime.toDate().toISOString() + document.updateTime.nanoseconds]));
}

describe('import: reruns, and --since for what changed in the old backend meanwhile', function () {
  this.timeout(120_000);

  it('writes nothing at all when rerun over an unchanged source', async () => {
    expect((await runImport(['apply', '--from', STAGING_EXPORT, '--yes'])).code).to.equal(0);
    const times = await updateTimes();
    const sequences = await counters();
    const rerun = await runImport(['apply', '--from', STAGING_EXPORT, '--yes']);
    expect(rerun.code, rerun.stderr).to.equal(0);
    expect(rerun.report?.['counts']).to.deep.include({ read: 60, created: 0, updated: 0, unchanged: 60, failed: 0 });
    expect(rerun.report?.['documentsWritten']).to.equal(0);
    expect(await updateTimes()).to.deep.equal(times);
    expect(await counters()).to.deep.equal(sequences);
    for (const writers of Object.values(await historyWriters())) expect(writers).to.deep.equal(['import']);
  });

  it('imports with --since <the previous highWaterMark> what changed or appeared since, and nothing else', async () => {
    const first = await runImport(['apply', '--from', STAGING_EXPORT, '--yes']);
    expect(first.code, first.stderr).to.equal(0);
    const highWaterMark = first.report!['highWaterMark'] as string;
    expect(highWaterMark).to.equal('2025-07-13T16:17:35.541Z');

    const assets = stagingAssets();
    const later = '2025-07-20T10:00:00.000Z';
    const changed = [assets[3]!, assets[52]!].map((asset) => ({ ...asset, description: `${String(asset['description'])} (edited)`, updatedAt: later, __v: 9 }));
    const added = {
      ...assets[13]!,
      _id: '687cc0005f3e9d1c2b1a2bff',
      name: 'S.POP.TEN.018',
      nna_address: 'S.001.009.018',
      createdAt: later,
      updatedAt: '2025-07-21T08:00:00.000Z',
    };
    // An edit the old backend did not date is before the mark: --since leaves it (the full run would not).
    const undated = { ...assets[20]!, description: 'undated edit' };
    const byId = new Map([...changed, undated].map((asset) => [asset._id, asset]));
    const lines = [...assets.map((asset) => exportLine(byId.get(asset._id) ?? asset)), exportLine(added)];
    const since = await runImport(['apply', '--from', writeLines('since.json', lines), '--since', highWaterMark, '--yes']);
    expect(since.code, since.stderr).to.equal(0);
    // --since is inclusive: the asset updated at the mark itself (G.POP.TSW.001) is compared again, unchanged.
    expect(since.report?.['counts']).to.deep.equal({ read: 61, created: 1, updated: 2, unchanged: 1, failed: 0, skipped: 57 });
    expect(since.report?.['highWaterMark']).to.equal('2025-07-21T08:00:00.000Z');
    expect(since.report?.['since']).to.equal(highWaterMark);

    for (const asset of changed) {
      const stored = (await testFirestore().collection('assets').doc(asset._id).get()).data()!;
      expect(stored).to.include({ description: asset['description'], updatedAt: later, __v: 9 });
    }
    expect((await testFirestore().collection('assets').doc(added._id).get()).get('name')).to.equal('S.POP.TEN.018');
    expect((await testFirestore().collection('assets').doc(undated._id).get()).get('description')).not.to.equal('undated edit');
    expect((await counters())['S.POP.TEN']).to.equal(18);
    // The overwrite keeps the asset's before-image in its history.
    const history = await testFirestore().collection('assets').doc(changed[0]!._id).collection('history').orderBy('at').get();
    expect(history.docs.map((entry) => entry.get('writer'))).to.deep.equal(['import', 'import']);
    expect(JSON.parse(history.docs[1]!.get('before') as string)).to.include({ description: assets[3]!['description'] });

    const status = await runImport(['status']);
    expect(JSON.parse(status.stdout)).to.deep.include({ status: 'completed', runs: 2, highWaterMark: '2025-07-21T08:00:00.000Z' });
  });
});
