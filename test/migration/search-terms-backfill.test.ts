/**
 * The search backfill migration: legacy assets carry no search terms, so word search cannot find
 * them until `2025-07-search-terms` writes them; a second run finds nothing left to do.
 */
import { expect } from 'chai';
import { useApi } from '../support/api-server.js';
import { snapshotCollection, testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { seedLegacyAssets } from '../support/legacy-fixture.js';
import { migrate } from '../support/migrate-cli.js';

describe('migrate: search-terms backfill', function () {
  this.timeout(120_000);
  const api = useApi();

  async function found(words: string): Promise<string[]> {
    const page = dataOf<{ items: Array<{ id: string }> }>(await call(api.url, 'GET', `/api/assets?search=${encodeURIComponent(words)}`));
    return page.items.map((item) => item.id);
  }

  it('makes legacy assets findable by words, and a second run changes nothing', async () => {
    await seedLegacyAssets();
    expect(await found('composite remix')).to.deep.equal([]);

    const applied = await migrate(['apply', '--migration', '2025-07-search-terms', '--yes']);
    expect(applied.code, applied.stderr).to.equal(0);
    expect(await found('composite remix')).to.deep.equal([]);
    expect(await found('reference compos')).to.include('legacyComposite1');
    expect(await found('virtual avatar')).to.deep.equal([]);
    expect(await found('asset reference star')).to.include('legacyStar0001');

    const stored = (await testFirestore().collection('assets').doc('legacyStar0001').get()).data()!;
    expect(Object.keys((stored['_sys'] as { terms: Record<string, string> }).terms)).to.include('reference*');

    const verified = await migrate(['verify', '--migration', '2025-07-search-terms']);
    expect(verified.code, verified.stdout).to.equal(0);
    const before = await snapshotCollection('assets');
    const again = await migrate(['apply', '--migration', '2025-07-search-terms', '--yes']);
    expect(again.code, again.stderr).to.equal(0);
    expect(await snapshotCollection('assets')).to.deep.equal(before);
  });

  it('replaces the search-term array of the earlier design by the term map', async () => {
    await seedLegacyAssets();
    await testFirestore()
      .collection('assets')
      .doc('legacyStar0001')
      .update({ '_sys.searchTerms': ['old*'] });
    const applied = await migrate(['apply', '--migration', '2025-07-search-terms', '--yes']);
    expect(applied.code, applied.stderr).to.equal(0);
    const system = (await testFirestore().collection('assets').doc('legacyStar0001').get()).get('_sys') as Record<string, unknown>;
    expect(system).to.have.property('terms');
    expect(system).not.to.have.property('searchTerms');
    expect(await found('asset reference star')).to.include('legacyStar0001');
  });
});
