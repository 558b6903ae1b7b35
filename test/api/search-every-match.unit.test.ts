/**
 * Search over a staging-shaped registry (two thirds composites, created last, tagged with their
 * stars' names), through the use case over the in-memory fakes: every filter shape finds exactly
 * the matches a slow truth computes from the documents' text, in rank order, paged by cursor and by
 * page number alike, with an exact total and the documents read following the page.
 */
import { expect } from 'chai';
import { searchTruth, type TruthDocument } from '../../scripts/lib/search-truth.js';
import { stagingSearchSources, storedDocumentFrom, storedStagingDocuments } from '../../scripts/lib/staging-search-registry.js';
import { PARTIAL_SEARCH_CANDIDATES, SEARCH_SCAN_LIMIT } from '../../functions/assets/scanned-search.js';
import type { AssetListing } from '../../functions/assets/asset-listing.js';
import type { AssetFilters } from '../../functions/domain/ports/asset-queries.js';
import { listAssetsQuerySchema } from '../../functions/domain/schemas/asset-query.js';
import { assetUseCasesOverFakes, type UseCaseWorld } from '../support/fakes/asset-use-cases-over-fakes.js';

interface Case {
  query: Record<string, string | string[]>;
  truth: AssetFilters;
}

const CASES: Case[] = [
  { query: { search: 'pop', layer: 'S' }, truth: { layer: 'S' } },
  { query: { search: 'pop', layer: 'G' }, truth: { layer: 'G' } },
  { query: { search: 'selena', layer: 'S' }, truth: { layer: 'S' } },
  { query: { search: 'pop', layer: 'S', category: 'Pop' }, truth: { layer: 'S', categoryCode: 'POP' } },
  { query: { search: 'pop', layer: 'S', category: 'POP', subcategory: 'DIV' }, truth: { layer: 'S', categoryCode: 'POP', subcategoryCode: 'DIV' } },
  { query: { search: 'pop' }, truth: {} },
  { query: { search: 'dream', status: 'draft' }, truth: { status: 'draft' } },
  {
    query: { search: 'pop', layer: 'C', startDate: '2025-06-20T08:00:00Z', endDate: '2025-06-20T09:00:00Z' },
    truth: { layer: 'C', createdFrom: '2025-06-20T08:00:00.000Z', createdTo: '2025-06-20T09:00:00.000Z' },
  },
  { query: { search: 'mellow', tags: ['remix', 'Doechii'] }, truth: { tags: ['remix', 'Doechii'] } },
  { query: { search: 'remix', layer: 'C', tags: ['Selena', 'Gaga'] }, truth: { layer: 'C', tags: ['Selena', 'Gaga'] } },
  { query: { search: 'remix doechii', layer: 'C' }, truth: { layer: 'C' } },
  { query: { search: 'selena remix' }, truth: {} },
  { query: { search: 'abracadabra gaga', layer: 'G' }, truth: { layer: 'G' } },
  { query: { search: 'c ful pop' }, truth: {} },
];

describe('search finds every match over a staging-shaped registry (use case over the fakes)', function () {
  this.timeout(120_000);
  let world: UseCaseWorld;
  const documents: TruthDocument[] = [];

  before(async () => {
    world = assetUseCasesOverFakes();
    let index = 0;
    for (const { id, data } of storedStagingDocuments(1_500)) {
      const stored = { ...data, status: index++ % 5 === 0 ? 'draft' : 'active' };
      documents.push({ id, data: stored });
      await world.store.seed(id, stored);
    }
  });

  const list = (query: Record<string, unknown>): Promise<AssetListing> => world.assets.listing.list(listAssetsQuerySchema.parse(query));

  for (const { query, truth } of CASES) {
    it(`${new URLSearchParams(query as Record<string, string>).toString()}: every match, ranked, by cursor and by page`, async () => {
      const expected = searchTruth(documents, query['search'] as string, truth);
      expect(expected.length, 'the case finds something').to.be.greaterThan(0);
      const limit = 50;
      const byCursor: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await list({ ...query, limit, ...(cursor ? { cursor } : {}) });
        expect(page.total).to.equal(expected.length);
        expect(page.totalIsLowerBound).to.equal(undefined);
        if (typeof query['search'] === 'string' && !query['search'].includes(' ') && !query['tags']) {
          // One word: the page, one more, a read a tier passed (5), and at most one address lookup.
          expect(page.documentsRead).to.be.at.most(limit + 1 + 5 + 1);
          // A first page that holds every match counts them itself; any other page pays one count().
          const whole = cursor === undefined && page.nextCursor === undefined;
          expect(page.aggregationReads).to.equal(whole ? 0 : Math.max(1, Math.ceil(expected.length / 1000)));
        }
        byCursor.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(byCursor).to.deep.equal(expected);
      const pages = Math.ceil(expected.length / limit);
      for (const number of [...new Set([2, Math.ceil(pages / 2), pages])].filter((page) => page >= 1)) {
        const page = await list({ ...query, limit, page: number });
        expect(
          page.items.map((item) => item.id),
          `page ${number}`,
        ).to.deep.equal(expected.slice((number - 1) * limit, number * limit));
      }
    });
  }

  it('puts the asset named by the whole text first, and pages past it without losing or repeating one', async () => {
    const star = documents.find((document) => document.data['layer'] === 'S')!;
    const hfn = String(star.data['name']);
    const expected = searchTruth(documents, hfn, {});
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list({ search: hfn, limit: 7, ...(cursor ? { cursor } : {}) });
      all.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(all[0]).to.equal(star.id);
    expect(all.slice(1)).to.deep.equal(expected.filter((id) => id !== star.id));
  });

  it('never overlaps or skips when assets are added between pages', async () => {
    const expected = searchTruth(documents, 'selena', { layer: 'S' });
    const first = await list({ search: 'selena', layer: 'S', limit: 5 });
    for (let index = 0; index < 3; index++) {
      await world.store.seed(`new-star-${index}`, {
        ...documents.find((document) => document.id === expected[0])!.data,
        createdAt: `2099-01-0${index + 1}T00:00:00.000Z`,
      });
    }
    const second = await list({ search: 'selena', layer: 'S', limit: 5, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((item) => item.id)).to.deep.equal(expected.slice(0, 10));
  });
});

describe('search beyond the scan limit says it is partial (use case over the fakes)', function () {
  this.timeout(120_000);

  it('ranks the newest matches of the rarest word, true matches only, within the read budget', async () => {
    const world = assetUseCasesOverFakes();
    const documents: TruthDocument[] = [];
    let index = 0;
    for (const source of stagingSearchSources(SEARCH_SCAN_LIMIT + 200)) {
      const { id, data } = storedDocumentFrom({ ...source, description: `common words ${index++}` });
      documents.push({ id, data });
      await world.store.seed(id, data);
    }
    const page = await world.assets.listing.list(listAssetsQuerySchema.parse({ search: 'common words', limit: 10 }));
    const truth = new Set(searchTruth(documents, 'common words', {}));
    expect(truth.size).to.be.greaterThan(SEARCH_SCAN_LIMIT);
    expect(page.totalIsLowerBound).to.equal(true);
    expect(page.items).to.have.length(10);
    for (const item of page.items) expect(truth.has(item.id), item.id).to.equal(true);
    expect(page.documentsRead).to.be.at.most(PARTIAL_SEARCH_CANDIDATES + 1 + 1);
    // One word over the same registry stays exact, and reads its page.
    const one = await world.assets.listing.list(listAssetsQuerySchema.parse({ search: 'c', limit: 10 }));
    expect(one.totalIsLowerBound).to.equal(undefined);
    expect(one.total).to.equal(SEARCH_SCAN_LIMIT + 200);
    expect(one.documentsRead).to.be.at.most(10 + 1 + 5);
  });
});
