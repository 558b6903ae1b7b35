/**
 * `2026-12-registry-shape`: assets this backend wrote before it wrote the old backend's forms (a
 * numeric `nna_address`, `+`-joined composite names with HFN components, object `trainingData`, no
 * `registeredBy`) are brought into the one shape; imported assets are left alone; plan shows the
 * change, verify is clean after, and rollback restores the documents exactly.
 */
import { expect } from 'chai';
import { useApi } from '../support/api-server.js';
import { snapshotCollection, testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { seedImportedAssets, stagingSample } from '../support/imported-assets.js';
import { migrate } from '../support/migrate-cli.js';

const MIGRATION = '2026-12-registry-shape';
const NOW = '2026-11-01T10:00:00.000Z';

/** A Star as the API wrote it before the one shape. */
const earlierStar = {
  name: 'S.POP.BAS.001',
  nna_address: '2.001.001.001',
  layer: 'S',
  category: 'Pop',
  subcategory: 'Base',
  categoryCode: 'POP',
  subcategoryCode: 'BAS',
  description: 'An early star',
  tags: ['early'],
  source: 'ReViz',
  files: [],
  metadata: { humanFriendlyName: 'S.POP.BAS.001', machineFriendlyAddress: '2.001.001.001' },
  trainingData: { prompts: ['p'], images: [], videos: [] },
  rights: { source: 'Original', rights_split: '100%' },
  status: 'active',
  createdBy: 'early@example.com',
  createdAt: NOW,
  updatedAt: NOW,
  _sys: { sequence: 1, sequenceKey: 'S.POP.BAS', hfn: 'S.POP.BAS.001', mfa: '2.001.001.001' },
};

/** A composite of that Star and an imported Song, as the API wrote it before the one shape. */
const earlierComposite = {
  ...earlierStar,
  name: 'C.RMX.POP.001:S.POP.BAS.001+G.HIP.MOD.001',
  nna_address: '9.001.001.001:2.001.001.001+1.003.003.001',
  layer: 'C',
  category: 'Remix',
  subcategory: 'Pop',
  categoryCode: 'RMX',
  subcategoryCode: 'POP',
  description: 'An early remix',
  components: ['S.POP.BAS.001', 'G.HIP.MOD.001'],
  metadata: { humanFriendlyName: 'C.RMX.POP.001:S.POP.BAS.001+G.HIP.MOD.001', components: ['S.POP.BAS.001', 'G.HIP.MOD.001'], componentCount: 2 },
  _sys: { sequence: 1, sequenceKey: 'C.RMX.POP', hfn: 'C.RMX.POP.001', mfa: '9.001.001.001' },
};

describe('migrate: 2026-12-registry-shape (one shape for assets written before it)', function () {
  this.timeout(180_000);
  const api = useApi();

  it('plan, apply, verify and rollback: earlier assets take the old forms, imported ones are untouched', async () => {
    const [imported] = await seedImportedAssets([stagingSample('G.HIP.MOD.001')]);
    const assets = testFirestore().collection('assets');
    await assets.doc('earlyStar').set(earlierStar);
    await assets.doc('earlyRemix').set(earlierComposite);
    const before = await snapshotCollection('assets');

    const unshaped = await migrate(['verify', '--migration', MIGRATION]);
    expect(unshaped.code, unshaped.stdout).to.equal(1);
    expect((unshaped.report?.['counts'] as Record<string, number>)['errors'], `${unshaped.stdout}\n${unshaped.stderr}`).to.equal(2);

    const plan = await migrate(['plan', '--migration', MIGRATION, '--sample', '2']);
    expect(plan.code, plan.stderr).to.equal(0);
    const sample = plan.report?.['sample'] as { id: string; changes: Record<string, unknown> }[];
    expect(sample.map((entry) => entry.id).sort()).to.deep.equal(['earlyRemix', 'earlyStar']);
    expect(await snapshotCollection('assets')).to.deep.equal(before);

    const applied = await migrate(['apply', '--migration', MIGRATION, '--yes']);
    expect(applied.code, applied.stderr).to.equal(0);
    expect(applied.report?.['counts']).to.include({ scanned: 3, migrated: 2, skipped: 1, errors: 0 });

    const star = (await assets.doc('earlyStar').get()).data()!;
    expect(star).to.deep.include({
      nna_address: 'S.001.001.001',
      name: 'S.POP.BAS.001',
      components: [],
      trainingData: '{"prompts":["p"],"images":[],"videos":[]}',
      rights: '{"source":"Original","rights_split":"100%"}',
      registeredBy: 'early@example.com',
      createdBy: 'early@example.com',
      __v: 0,
    });
    const remix = (await assets.doc('earlyRemix').get()).data()!;
    expect(remix).to.deep.include({
      name: 'C.RMX.POP.001:S.001.001.001:G.003.003.001',
      nna_address: 'C.001.001.001',
      components: ['S.001.001.001', 'G.003.003.001'],
    });
    expect(remix['_sys']).to.deep.include({ hfn: 'C.RMX.POP.001', mfa: '9.001.001.001', components: ['S.POP.BAS.001', 'G.HIP.MOD.001'] });
    expect((await snapshotCollection('assets'))[imported!.id]).to.deep.equal(before[imported!.id]);

    // Served as the imported ones are, and found by every spelling, the earlier ones included.
    for (const reference of ['C.RMX.POP.001:S.POP.BAS.001+G.HIP.MOD.001', 'C.001.001.001', '9.001.001.001', 'C.RMX.POP.001:S.001.001.001:G.003.003.001']) {
      const reply = await call(api.url, 'GET', `/api/assets/nna/${encodeURIComponent(reference)}`);
      expect(reply.status, `${reference}: ${reply.text}`).to.equal(200);
      expect(dataOf<{ id: string; hfn: string }>(reply)).to.include({ id: 'earlyRemix', hfn: 'C.RMX.POP.001:S.POP.BAS.001+G.HIP.MOD.001' });
    }
    // The imported Song is still protected as a component of the migrated composite.
    const refused = await call(api.url, 'DELETE', `/api/assets/G.HIP.MOD.001`, { token: 'Bearer dev:editor@example.com:editor' });
    expect(refused.status, refused.text).to.equal(409);

    const verified = await migrate(['verify', '--migration', MIGRATION]);
    expect(verified.code, verified.stdout).to.equal(0);

    const rolledBack = await migrate(['rollback', '--migration', MIGRATION, '--yes']);
    expect(rolledBack.code, rolledBack.stderr).to.equal(0);
    expect((rolledBack.report?.['counts'] as Record<string, number>)['migrated']).to.equal(2);
    expect(await snapshotCollection('assets')).to.deep.equal(before);
  });
});
