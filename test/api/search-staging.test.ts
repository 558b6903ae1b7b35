/**
 * The web frontend's search calls over a registry in staging's shape, imported by the real
 * `npm run import` (two thirds composites, created last, tagged with their stars' names: the
 * newest holders of `pop` and of a performer's name are composites), against the emulator and the
 * real functions-framework: each answer holds every match a truth computed from the stored text
 * finds, in rank order, with an exact total, and reads what its page needs.
 */
import { expect } from 'chai';
import { searchTruth, type TruthDocument } from '../../scripts/lib/search-truth.js';
import { PERFORMERS, stagingSearchSources } from '../../scripts/lib/staging-search-registry.js';
import type { AssetFilters } from '../../functions/domain/ports/asset-queries.js';
import { useApi } from '../support/api-server.js';
import { testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { seedImportedAssets, type SourceAsset } from '../support/imported-assets.js';

interface Page {
  items: Array<{ id: string; name: string }>;
  total: number;
  nextCursor?: string;
  totalIsLowerBound?: boolean;
}

const REGISTRY_SIZE = 1_200;

describe('search over a staging-shaped import: the frontend’s calls find every match', function () {
  this.timeout(600_000);
  // The emulator scans the collection for every query (it has no indexes): on a loaded machine a
  // query over this registry can outlast the deployed deadline, which is not what this suite tests.
  const api = useApi({ FIRESTORE_DEADLINE_MS: '120000' });

  it('answers the composite picker, the browse filters and the plain search exactly, page after page', async () => {
    const sources = [...stagingSearchSources(REGISTRY_SIZE)] as unknown as SourceAsset[];
    await seedImportedAssets(sources);
    const stored = await testFirestore().collection('assets').get();
    const documents: TruthDocument[] = stored.docs.map((snapshot) => ({ id: snapshot.id, data: snapshot.data() }));
    expect(documents).to.have.length(REGISTRY_SIZE);
    const newest = [...documents].sort((a, b) => String(b.data['createdAt']).localeCompare(String(a.data['createdAt'])))[0]!;
    expect(newest.data['layer'], 'composites are the newest').to.equal('C');

    const performer = PERFORMERS[1]!;
    const cases: Array<{ query: string; truth: AssetFilters; search: string; limit: number }> = [
      { query: 'search=pop&layer=S', search: 'pop', truth: { layer: 'S' }, limit: 20 },
      { query: 'search=pop&layer=G', search: 'pop', truth: { layer: 'G' }, limit: 20 },
      { query: `search=${performer}&layer=S`, search: performer, truth: { layer: 'S' }, limit: 20 },
      { query: 'search=pop&layer=S&category=Pop', search: 'pop', truth: { layer: 'S', categoryCode: 'POP' }, limit: 12 },
      { query: 'search=pop', search: 'pop', truth: {}, limit: 100 },
      { query: `search=remix%20${performer}&layer=C`, search: `remix ${performer}`, truth: { layer: 'C' }, limit: 20 },
      { query: `search=mellow&tags[]=${performer}`, search: 'mellow', truth: { tags: [performer] }, limit: 5 },
    ];
    for (const { query, truth, search, limit } of cases) {
      const expected = searchTruth(documents, search, truth);
      expect(expected.length, query).to.be.greaterThan(limit / 2);
      const found: string[] = [];
      let cursor: string | undefined;
      do {
        const reply = await call(api.url, 'GET', `/api/assets?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(reply.status, reply.text).to.equal(200);
        const page = dataOf<Page>(reply);
        expect(page.total, query).to.equal(expected.length);
        expect(page.totalIsLowerBound, query).to.equal(undefined);
        if (!search.includes(' ') && !query.includes('tags')) {
          // One word: the page, one more, and one read for each tier passed empty.
          expect(Number(reply.headers.get('x-documents-read')), query).to.be.at.most(limit + 1 + 5);
          // A first page that holds every match counts them itself; any other page pays one count().
          const whole = cursor === undefined && page.nextCursor === undefined;
          expect(Number(reply.headers.get('x-aggregation-reads')), query).to.equal(whole ? 0 : Math.max(1, Math.ceil(expected.length / 1000)));
        }
        found.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(found, query).to.deep.equal(expected);
    }
  });
});
