import { expect } from 'chai';
import { useApi } from '../support/api-server.js';
import { starPayload } from '../support/asset-fixtures.js';
import { testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { counters } from '../support/import-fixture.js';
import { runImport } from '../support/migrate-cli.js';
import { STAGING_EXPORT } from '../support/staging-export.js';
import { TOKENS } from '../support/test-environment.js';

describe('import: numbering continues after the highest imported number, gaps never refilled', function () {
  this.timeout(120_000);
  const api = useApi();

  it('gives the next create in each path the number after the highest imported one, composites included, whatever the counter said before', async () => {
    // This backend had given out C.FUL.POP 001-003 before the import (those assets since deleted): its counter says 3.
    await testFirestore().collection('assets_sequences').doc('C.FUL.POP').set({ last: 3 });
    const result = await runImport(['apply', '--from', STAGING_EXPORT, '--yes']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.report?.['sequences']).to.include({ 'C.FUL.POP': 699, 'G.POP.TEN': 3 });
    expect(await counters()).to.include({ 'C.FUL.POP': 699, 'G.POP.TEN': 3 });

    // The staging sample holds C.FUL.POP 041 ... 699 with gaps, G.POP.TEN 001 and 003.
    const composite = await call(api.url, 'POST', '/api/assets', {
      token: TOKENS.editor,
      json: starPayload({ layer: 'C', category: 'FUL', subcategory: 'POP', components: ['S.POP.DIV.001', 'G.HIP.MOD.001'] }),
    });
    expect(composite.status, composite.text).to.equal(201);
    expect(dataOf(composite)['name']).to.equal('C.FUL.POP.700:S.001.002.001:G.003.003.001');
    const song = dataOf(
      await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ layer: 'G', category: 'Pop', subcategory: 'Teen_Pop' }) }),
    );
    expect(song['name']).to.equal('G.POP.TEN.004');
  });
});
