import { expect } from 'chai';
import { counters, historyWriters, importedAssets } from '../support/import-fixture.js';
import { runImport, startImport } from '../support/migrate-cli.js';
import { STAGING_EXPORT } from '../support/staging-export.js';
import { clearFirestore } from '../../scripts/lib/emulators.js';
import { TEST_PROJECT } from '../support/test-environment.js';

describe('import: a run killed with SIGKILL mid-way resumes to the clean result', function () {
  this.timeout(180_000);

  it('after two kills a rerun completes, and every asset, counter and history entry is there once', async () => {
    expect((await runImport(['apply', '--from', STAGING_EXPORT, '--yes'])).code).to.equal(0);
    const clean = { assets: await importedAssets(), counters: await counters() };
    await clearFirestore(process.env['FIRESTORE_EMULATOR_HOST']!, TEST_PROJECT);

    for (const afterBatches of [2, 5]) {
      const run = startImport(['apply', '--from', STAGING_EXPORT, '--yes', '--batch-size', '5', '--max-writes-per-second', '60']);
      run.onEvent((event) => {
        if (event['event'] === 'batch' && (event['batch'] as number) >= afterBatches) run.child.kill('SIGKILL');
      });
      expect((await run.done).signal).to.equal('SIGKILL');
    }
    const partial = Object.keys(await importedAssets()).length;
    expect(partial).to.be.within(10, 59);
    const status = JSON.parse((await runImport(['status'])).stdout) as Record<string, unknown>;
    expect(status).to.deep.include({ status: 'running', runs: 2 });

    const resumed = await runImport(['apply', '--from', STAGING_EXPORT, '--yes']);
    expect(resumed.code, resumed.stderr).to.equal(0);
    expect(resumed.report?.['counts']).to.deep.include({ read: 60, created: 60 - partial, unchanged: partial, failed: 0 });
    expect(await importedAssets()).to.deep.equal(clean.assets);
    expect(await counters()).to.deep.equal(clean.counters);
    const history = await historyWriters();
    expect(Object.keys(history)).to.have.length(60);
    for (const writers of Object.values(history)) expect(writers).to.deep.equal(['import']);
    expect((await runImport(['verify', '--from', STAGING_EXPORT])).code).to.equal(0);
  });
});
