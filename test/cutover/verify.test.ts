import { expect } from 'chai';
import { useApi } from '../support/api-server.js';
import { starPayload } from '../support/asset-fixtures.js';
import { testFirestore } from '../support/firestore-direct.js';
import { call } from '../support/http-client.js';
import { runImport } from '../support/migrate-cli.js';
import { exportLine, STAGING_EXPORT, stagingAssets, writeLines } from '../support/staging-export.js';
import { TOKENS } from '../support/test-environment.js';

describe('import verify: each difference named by id', function () {
  this.timeout(120_000);
  const api = useApi();

  it('finds edits on either side and assets the old backend deleted; assets created here are not differences', async () => {
    expect((await runImport(['apply', '--from', STAGING_EXPORT, '--yes'])).code).to.equal(0);
    expect((await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() })).status).to.equal(201);
    expect((await runImport(['verify', '--from', STAGING_EXPORT])).code, 'an asset created here is no difference').to.equal(0);

    const [first, second, third, ...rest] = stagingAssets();
    // Edited here (straight in the database, as any writer could), edited in the old backend, deleted there.
    await testFirestore().collection('assets').doc(first!._id).update({ description: 'edited here' });
    const source = writeLines('after.json', [exportLine(first!), exportLine({ ...second!, tags: ['retagged'] }), ...rest.map(exportLine)]);
    const result = await runImport(['verify', '--from', source]);
    expect(result.code, result.stderr).to.equal(1);
    expect(result.report?.['counts']).to.deep.include({ read: 59, equal: 57, different: 2, missing: 0, notInSource: 1 });
    expect(result.report?.['differences']).to.deep.equal([
      { id: first!._id, kind: 'different', fields: ['description'], detail: 'changed in this backend since the import' },
      { id: second!._id, kind: 'different', fields: ['tags'], detail: 'changed in the old backend since the import (apply again)' },
      { id: third!._id, kind: 'not-in-source', detail: 'imported earlier, no longer in the source (deleted in the old backend?)' },
    ]);
  });
});
