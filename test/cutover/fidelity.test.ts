import { expect } from 'chai';
import { useApi } from '../support/api-server.js';
import { testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { counters, historyWriters, importedAssets } from '../support/import-fixture.js';
import { runImport } from '../support/migrate-cli.js';
import { canonicalLines, jsonArrayText, STAGING_EXPORT, stagingAssets, writeExport, writeLines } from '../support/staging-export.js';

type Json = Record<string, unknown>;

/** Every field the old backend served for the asset, as this backend serves it: equal value, equal JSON. */
function expectSourceFields(served: Json, source: Json): void {
  expect(served['_id'], 'id').to.equal(source['_id']);
  expect(served['id']).to.equal(source['_id']);
  for (const [field, value] of Object.entries(source)) {
    if (field === '_id') continue;
    expect(JSON.stringify(served[field]), `${String(source['name'])} ${field}`).to.equal(JSON.stringify(value));
  }
}

describe('import: the 60 staging documents come in intact and are served back as the old backend served them', function () {
  this.timeout(120_000);
  const api = useApi();

  it('serves every source field of every imported asset, by id and in the listing (strings, tag order, components [""], __v)', async () => {
    const result = await runImport(['apply', '--from', STAGING_EXPORT, '--yes']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.report?.['counts']).to.deep.include({ read: 60, created: 60, updated: 0, unchanged: 0, failed: 0 });
    const sources = stagingAssets();
    for (const source of sources) {
      const reply = await call(api.url, 'GET', `/api/assets/${source._id}`);
      expect(reply.status, `${source.name}: ${reply.text}`).to.equal(200);
      const served = dataOf(reply);
      expectSourceFields(served, source);
      expect(served).not.to.have.property('_sys');
    }
    const listing = dataOf<{ items: Json[]; total: number }>(await call(api.url, 'GET', '/api/assets?limit=100'));
    expect(listing.total).to.equal(60);
    const byId = new Map(listing.items.map((item) => [item['id'], item]));
    for (const source of sources) expectSourceFields(byId.get(source._id)!, source);
    // Spot checks of the shapes this project had never seen.
    const star = byId.get(sources.find((source) => source.name === 'G.HIP.MOD.001')!._id)!;
    expect(star['trainingData']).to.equal('{"prompts":[],"images":[],"videos":[]}');
    expect(star['components']).to.deep.equal(['']);
    expect(star['nna_address']).to.equal('G.003.003.001');
    expect(star['registeredBy']).to.equal('kyle@celerity.studio');
    expect(star['__v']).to.equal(2);
    expect(star).to.include({ categoryCode: 'HIP', subcategoryCode: 'MOD' });
  });

  it('stores the registry’s addressing, search terms and provenance under _sys, beside the source fields, and one history entry per asset', async () => {
    expect((await runImport(['apply', '--from', STAGING_EXPORT, '--yes'])).code).to.equal(0);
    const sources = stagingAssets();
    const composite = sources.find((source) => source.name.startsWith('C.FUL.POP.125:'))!;
    const stored = (await testFirestore().collection('assets').doc(composite._id).get()).data()!;
    const system = stored['_sys'] as Json;
    expect(system).to.deep.include({
      sequence: 125,
      sequenceKey: 'C.FUL.POP',
      hfn: 'C.FUL.POP.125',
      mfa: '9.003.001.125',
      components: ['G.HIP.MOD.001', 'S.POP.DIV.004', 'L.URB.SKT.001', 'M.SMT.BAS.017', 'W.FUT.HOL.001'],
    });
    expect(system['imported']).to.deep.include({ source: 'staging-assets-export.ndjson', sourceUpdatedAt: composite.updatedAt });
    expect((system['search'] as string[]).map((token) => token.slice(2))).to.include.members(['remix*', 'doechii*']);
    expect(stored['components']).to.deep.equal(composite['components']);
    const broken = sources.find((source) => source.name === 'G.POP.TSW.001')!;
    const brokenStored = (await testFirestore().collection('assets').doc(broken._id).get()).data()!;
    expect(brokenStored).to.include({
      nna_address: 'G.undefined.undefined.001',
      category: 'POP',
      subcategory: 'TSW',
      categoryCode: 'POP',
      subcategoryCode: 'TSW',
    });
    expect(brokenStored).not.to.have.property('trainingData');
    expect(brokenStored['components']).to.deep.equal([]);
    const history = await historyWriters();
    expect(Object.keys(history)).to.have.length(60);
    for (const writers of Object.values(history)) expect(writers).to.deep.equal(['import']);
    expect(await counters()).to.include({ 'C.FUL.POP': 699, 'G.POP.TEN': 3, 'M.SMT.BAS': 26, 'S.POP.TEN': 17 });
  });

  it('reports the anomalies with examples, imported as they are: the broken address and the dangling components, not components [""]', async () => {
    const result = await runImport(['plan', '--from', STAGING_EXPORT]);
    expect(result.code, result.stderr).to.equal(0);
    const anomalies = result.report!['anomalies'] as Array<{ kind: string; count: number; examples: Array<{ name: string; detail: string }> }>;
    expect(anomalies.map((anomaly) => anomaly.kind)).to.deep.equal(['broken-address', 'dangling-component']);
    expect(anomalies[0]).to.deep.include({ count: 1 });
    expect(anomalies[0]!.examples[0]).to.deep.include({ name: 'G.POP.TSW.001' });
    // Components that name no asset of the sample (it holds 60 of staging's 1,103); those it holds resolve.
    expect(anomalies[1]!.examples.map((example) => example.detail)).not.to.include('G.HIP.MOD.001 names no asset');
    expect(result.report!['highWaterMark']).to.equal('2025-07-13T16:17:35.541Z');
    expect(await importedAssets()).to.deep.equal({});
  });

  it('reads relaxed and canonical Extended JSON, and --jsonArray exports, alike', async () => {
    expect((await runImport(['apply', '--from', STAGING_EXPORT, '--yes'])).code).to.equal(0);
    const fromRelaxed = await importedAssets();
    const sources = [
      writeLines('canonical.json', canonicalLines()),
      writeExport('array.json', jsonArrayText()),
      writeExport('canonical-array.json', jsonArrayText(canonicalLines())),
    ];
    expect(canonicalLines()[0]).to.include('"$numberLong"');
    for (const file of sources) {
      await testFirestore().recursiveDelete(testFirestore().collection('assets'));
      const result = await runImport(['apply', '--from', file, '--yes']);
      expect(result.code, `${file}: ${result.stderr}`).to.equal(0);
      expect(result.report?.['counts']).to.deep.include({ read: 60, created: 60 });
      expect(await importedAssets(), file).to.deep.equal(fromRelaxed);
    }
  });
});
