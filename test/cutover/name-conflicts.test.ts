import { expect } from 'chai';
import { useApi } from '../support/api-server.js';
import { testFirestore } from '../support/firestore-direct.js';
import { runImport } from '../support/migrate-cli.js';
import { exportLine, stagingAssets, writeLines } from '../support/staging-export.js';

describe('import: names the run itself claims and frees, batch after batch', function () {
  this.timeout(120_000);
  useApi();

  it('refuses a second asset of the source holding a name the run already imported, in the same or a later commit', async () => {
    const [first, second, third] = stagingAssets();
    const twin = { ...second!, name: first!.name, nna_address: first!.nna_address };
    const late = { ...third!, name: first!.name, nna_address: first!.nna_address };
    // One asset a commit: the second and third meet the first's name in the run's index, not in one batch.
    const file = writeLines('twins.json', [exportLine(first!), exportLine(twin), exportLine(late)]);
    const result = await runImport(['apply', '--from', file, '--yes', '--batch-size', '1']);
    expect(result.code, result.stderr).to.equal(1);
    expect(result.report?.['counts']).to.deep.include({ read: 3, created: 1, failed: 2 });
    const failures = result.report?.['failures'] as Array<{ id: string; reason: string; message: string }>;
    expect(failures.map(({ id, reason, message }) => ({ id, reason, message }))).to.deep.equal(
      [twin, late].map((asset) => ({
        id: asset._id,
        reason: 'name-conflict',
        message: `${first!.name.split(':')[0]!.toUpperCase()} is already held by asset ${first!._id} in this backend`,
      })),
    );
    const together = await runImport(['apply', '--from', writeLines('together.json', [exportLine(first!), exportLine(twin)]), '--yes']);
    expect(together.report?.['counts']).to.deep.include({ read: 2, unchanged: 1, failed: 1 });
  });

  it('frees the old name of an asset renamed in the old backend, so a later asset of the source takes it', async () => {
    const [first, second, spare] = stagingAssets();
    expect((await runImport(['apply', '--from', writeLines('before.json', [exportLine(first!)]), '--yes'])).code).to.equal(0);
    const renamed = { ...first!, name: spare!.name, nna_address: spare!.nna_address };
    const heir = { ...second!, name: first!.name, nna_address: first!.nna_address };
    const result = await runImport(['apply', '--from', writeLines('after.json', [exportLine(renamed), exportLine(heir)]), '--yes', '--batch-size', '1']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.report?.['counts']).to.deep.include({ read: 2, created: 1, updated: 1, failed: 0 });
    expect((await testFirestore().collection('assets').doc(heir._id).get()).get('name')).to.equal(first!.name);
  });
});
