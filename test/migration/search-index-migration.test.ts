/**
 * The search index migration: legacy assets and assets of the earlier search designs (the
 * `_sys.terms` map, the `_sys.searchTerms` array) are invisible to search until
 * `2026-12-search-index` writes `_sys.search`; verify then passes, a second run changes nothing,
 * and rollback puts every document back as it was.
 */
import { expect } from 'chai';
import { useApi } from '../support/api-server.js';
import { snapshotCollection, testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { seedLegacyAssets } from '../support/legacy-fixture.js';
import { migrate } from '../support/migrate-cli.js';

const MIGRATION = '2026-12-search-index';

describe('migrate: the search index', function () {
  this.timeout(120_000);
  const api = useApi();

  async function found(words: string): Promise<string[]> {
    const page = dataOf<{ items: Array<{ id: string }> }>(await call(api.url, 'GET', `/api/assets?search=${encodeURIComponent(words)}`));
    return page.items.map((item) => item.id);
  }

  it('makes legacy assets findable by one word and by several, verifies, and a second run changes nothing', async () => {
    await seedLegacyAssets();
    expect(await found('reference')).to.deep.equal([]);
    const planned = await migrate(['plan', '--migration', MIGRATION]);
    expect(planned.code, planned.stderr).to.equal(0);
    expect((await migrate(['verify', '--migration', MIGRATION])).code).to.not.equal(0);

    const applied = await migrate(['apply', '--migration', MIGRATION, '--yes']);
    expect(applied.code, applied.stderr).to.equal(0);
    expect(await found('composite remix')).to.deep.equal([]);
    expect(await found('reference compos')).to.include('legacyComposite1');
    expect(await found('reference')).to.include.members(['legacyComposite1', 'legacyStar0001']);
    expect(await found('asset reference star')).to.include('legacyStar0001');

    const stored = (await testFirestore().collection('assets').doc('legacyStar0001').get()).data()!;
    const tokens = (stored['_sys'] as { search: string[] }).search;
    expect(tokens.map((token) => token.slice(2))).to.include('reference*');

    const verified = await migrate(['verify', '--migration', MIGRATION]);
    expect(verified.code, verified.stdout).to.equal(0);
    const before = await snapshotCollection('assets');
    const again = await migrate(['apply', '--migration', MIGRATION, '--yes']);
    expect(again.code, again.stderr).to.equal(0);
    expect(await snapshotCollection('assets')).to.deep.equal(before);
  });

  it('replaces the term map and the term array of the earlier designs, and rolls back to them', async () => {
    await seedLegacyAssets();
    const star = testFirestore().collection('assets').doc('legacyStar0001');
    await star.update({ '_sys.searchTerms': ['old*'], '_sys.terms': { 'old*': '2025-01-01T00:00:00.000Z' } });
    const original = await snapshotCollection('assets');
    const applied = await migrate(['apply', '--migration', MIGRATION, '--yes']);
    expect(applied.code, applied.stderr).to.equal(0);
    const system = (await star.get()).get('_sys') as Record<string, unknown>;
    expect(system).to.have.property('search');
    expect(system).not.to.have.property('terms');
    expect(system).not.to.have.property('searchTerms');
    expect(await found('asset reference star')).to.include('legacyStar0001');

    const rolledBack = await migrate(['rollback', '--migration', MIGRATION, '--yes']);
    expect(rolledBack.code, rolledBack.stderr).to.equal(0);
    expect(await snapshotCollection('assets')).to.deep.equal(original);
  });
});
