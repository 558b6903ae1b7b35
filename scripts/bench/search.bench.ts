/**
 * Search at 1,000, 10,000 and 100,000 assets (`SEARCH_BENCH_SIZES`), side by side in one run, each
 * size on a fresh emulator, a registry in staging's shape (scripts/lib/staging-search-registry.ts:
 * composites created last, tagged with their stars' names, so a broad word is held by a newer layer
 * than the one filtered) written as the importer stores it. The web frontend's one-word queries with
 * filters go through the HTTP API; each is held to a truth computed here from the documents' text:
 * recall over every page (cursor by cursor) for queries of up to RECALL_PAGES_MAX matches, the first
 * page and the exact total for broader ones. Documents read come from X-Documents-Read (counted in the
 * repository layer), aggregation reads from X-Aggregation-Reads. Latency is for information: the
 * emulator has no indexes and scans the collection. Then the index is built for the largest registry
 * by `npm run migrate -- apply --migration 2026-12-search-index` (the documents written without it):
 * its time and the CLI's peak RSS.
 */
import { Firestore } from '@google-cloud/firestore';
import { searchIndexMigration } from '../../functions/migration/migrations/2026-12-search-index.js';
import { searchTruth, type TruthDocument } from '../lib/search-truth.js';
import { PERFORMERS, storedStagingDocuments } from '../lib/staging-search-registry.js';
import { percentile, writeResult, type BenchResult, type Figure } from './bench-report.js';
import { BENCH_PROJECT, startBenchStack } from './bench-stack.js';
import { runMigrateApply } from './migrate-runner.js';

const SIZES = (process.env['SEARCH_BENCH_SIZES'] ?? '1000,10000,100000').split(',').map(Number);
/** Past this many matches, or past RECALL_SIZE_MAX assets, a query is checked on its first page and its total only. */
const RECALL_PAGES_MAX = 3_000;
/**
 * The emulator scans every asset's token array for every query (0.5-0.8 s per query over 1,146
 * assets at load 13): paging through every answer is measured up to this size.
 */
const RECALL_SIZE_MAX = 10_000;
/** C's 24 paths hold 999 each: staging's share of composites fits up to about 35,000 assets. */
function compositeShareAt(size: number): number {
  return Math.min(0.64, 20_000 / size);
}

interface Query {
  label: string;
  params: Record<string, string>;
  search: string;
  truth: { layer?: string; categoryCode?: string; status?: string };
  limit: number;
}

/** The frontend's calls: the composite picker per layer, the browse filters, a plain search. */
const QUERIES: Query[] = [
  { label: 'picker pop, Stars', params: { search: 'pop', layer: 'S' }, search: 'pop', truth: { layer: 'S' }, limit: 20 },
  { label: 'picker pop, Songs', params: { search: 'pop', layer: 'G' }, search: 'pop', truth: { layer: 'G' }, limit: 20 },
  { label: 'picker performer, Stars', params: { search: PERFORMERS[1]!, layer: 'S' }, search: PERFORMERS[1]!, truth: { layer: 'S' }, limit: 20 },
  { label: 'browse pop, Stars, Pop', params: { search: 'pop', layer: 'S', category: 'Pop' }, search: 'pop', truth: { layer: 'S', categoryCode: 'POP' }, limit: 12 },
  { label: 'browse mellow, Looks', params: { search: 'mellow', layer: 'L' }, search: 'mellow', truth: { layer: 'L' }, limit: 1000 },
  { label: 'plain pop', params: { search: 'pop' }, search: 'pop', truth: {}, limit: 12 },
];

interface Answer {
  ids: string[];
  total: number;
  next?: string;
  reads: number;
  aggregationReads: number;
  ms: number;
}

async function ask(baseUrl: string, query: Query, cursor?: string): Promise<Answer> {
  const params = new URLSearchParams({ ...query.params, limit: String(query.limit), ...(cursor ? { cursor } : {}) });
  const started = process.hrtime.bigint();
  const response = await fetch(`${baseUrl}/api/assets?${params.toString()}`);
  const body = (await response.json()) as { data: { items: Array<{ id: string }>; total: number; nextCursor?: string } };
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (response.status !== 200) throw new Error(`${params.toString()} answered ${response.status}`);
  return {
    ids: body.data.items.map((item) => item.id),
    total: body.data.total,
    ...(body.data.nextCursor ? { next: body.data.nextCursor } : {}),
    reads: Number(response.headers.get('x-documents-read')),
    aggregationReads: Number(response.headers.get('x-aggregation-reads')),
    ms,
  };
}

interface AtSize {
  size: number;
  /** Matches found over all pages / true matches, for queries checked page by page. */
  recall: number;
  /** Every answer's first page and total equal the truth's. */
  exact: boolean;
  /** Each query's first page: documents read and items served. */
  firstPages: Map<string, { reads: number; items: number }>;
  /** Documents read beyond the items served, the most of any answer. */
  overheadMax: number;
  aggregationReadsMax: number;
  p50: number;
  p95: number;
  seedMs: number;
  migrateMs?: number;
  migratePeakRssMiB?: number;
}

async function seed(db: Firestore, size: number, withIndex: boolean): Promise<TruthDocument[]> {
  const documents: TruthDocument[] = [];
  let batch = db.batch();
  let pending = 0;
  for (const { id, data } of storedStagingDocuments(size, compositeShareAt(size))) {
    documents.push({ id, data });
    const written = withIndex ? data : { ...data, _sys: { ...(data['_sys'] as Record<string, unknown>), search: [] } };
    batch.set(db.collection('assets').doc(id), written);
    if (++pending === 400) {
      await batch.commit();
      batch = db.batch();
      pending = 0;
    }
  }
  if (pending > 0) await batch.commit();
  return documents;
}

async function measureAt(size: number, buildIndex: boolean): Promise<AtSize> {
  // The emulator's scans outlast the deployed deadline at the larger sizes; the deadline is not what is measured.
  const stack = await startBenchStack({ FIRESTORE_DEADLINE_MS: '300000' });
  const db = new Firestore({ projectId: BENCH_PROJECT });
  try {
    const seeded = Date.now();
    const documents = await seed(db, size, !buildIndex);
    const seedMs = Date.now() - seeded;
    let migrated: { migrateMs: number; migratePeakRssMiB: number } | undefined;
    if (buildIndex) {
      const report = await runMigrateApply(process.env['FIRESTORE_EMULATOR_HOST']!, BENCH_PROJECT, searchIndexMigration.id);
      migrated = { migrateMs: report.wallMs, migratePeakRssMiB: (report.peakRssBytes ?? 0) / 2 ** 20 };
      console.log(`  index built for ${size} assets in ${report.wallMs} ms, peak RSS ${migrated.migratePeakRssMiB.toFixed(0)} MiB`);
    }
    let found = 0;
    let expectedInAll = 0;
    let exact = true;
    const firstPages = new Map<string, { reads: number; items: number }>();
    const overheads: number[] = [];
    const aggregations: number[] = [];
    const times: number[] = [];
    for (const query of QUERIES) {
      const truth = searchTruth(documents, query.search, query.truth);
      const first = await ask(stack.api.url, query);
      firstPages.set(query.label, { reads: first.reads, items: first.ids.length });
      exact &&= first.total === truth.length && first.ids.join() === truth.slice(0, query.limit).join();
      const answers = [first];
      if (truth.length <= RECALL_PAGES_MAX && size <= RECALL_SIZE_MAX) {
        const ids = new Set(first.ids);
        let next = first.next;
        while (next) {
          const page = await ask(stack.api.url, query, next);
          answers.push(page);
          for (const id of page.ids) ids.add(id);
          next = page.next;
        }
        found += truth.filter((id) => ids.has(id)).length;
        expectedInAll += truth.length;
      }
      for (const answer of answers) {
        overheads.push(answer.reads - answer.ids.length);
        aggregations.push(answer.aggregationReads);
        times.push(answer.ms);
      }
      console.log(`  ${size}: ${query.label}: ${truth.length} matches, ${answers.length} pages, reads ${answers.map((answer) => answer.reads).join('/')}`);
    }
    times.sort((a, b) => a - b);
    return {
      size,
      recall: expectedInAll === 0 ? 1 : found / expectedInAll,
      exact,
      firstPages,
      overheadMax: Math.max(...overheads),
      aggregationReadsMax: Math.max(...aggregations),
      p50: percentile(times, 0.5),
      p95: percentile(times, 0.95),
      seedMs,
      ...(migrated ?? {}),
    };
  } finally {
    await db.terminate();
    await stack.stop();
  }
}

export async function runSearchBench(): Promise<BenchResult> {
  const results: AtSize[] = [];
  for (const [position, size] of SIZES.entries()) results.push(await measureAt(size, position === SIZES.length - 1));
  const smallest = results[0]!;
  const largest = results[results.length - 1]!;
  const figures: Figure[] = [];
  for (const result of results) {
    figures.push({ name: `recall over every page at ${result.size} assets`, value: result.recall, unit: '', goal: { comparison: '>=', target: 1 } });
    figures.push({ name: `first pages and totals equal to the truth at ${result.size} assets`, value: result.exact ? 1 : 0, unit: '', goal: { comparison: '>=', target: 1 } });
    figures.push({
      name: `documents read beyond the items served at ${result.size} assets (max)`,
      value: result.overheadMax,
      unit: 'docs',
      note: 'one more to see whether others follow, one read a tier passed empty',
    });
    figures.push({ name: `aggregation reads per query at ${result.size} assets (max)`, value: result.aggregationReadsMax, unit: 'reads', note: 'count(): one read per 1,000 index entries' });
    figures.push({ name: `search p50 / p95 at ${result.size} assets (emulator)`, value: result.p50, unit: 'ms', note: `p95 ${result.p95.toFixed(0)} ms; the emulator scans the collection, for information` });
  }
  // The queries whose first page is full at every size: their reads follow the page, not the registry.
  const full = QUERIES.filter((query) => results.every((result) => result.firstPages.get(query.label)!.items === query.limit));
  const maxReads = (result: AtSize): number => Math.max(...full.map((query) => result.firstPages.get(query.label)!.reads));
  figures.push({
    name: `max documents read per query ${largest.size} / ${smallest.size}`,
    value: maxReads(largest) / maxReads(smallest),
    unit: 'x',
    goal: { comparison: '<=', target: 1.1 },
    note: `first pages of ${full.map((query) => query.label).join(', ')}: ${maxReads(smallest)} and ${maxReads(largest)} documents`,
  });
  if (largest.migrateMs !== undefined) {
    figures.push({ name: `index build by the migration, ${largest.size} assets`, value: largest.migrateMs / 1000, unit: 's', note: 'npm run migrate -- apply, emulator' });
    figures.push({ name: `index build peak RSS, ${largest.size} assets`, value: largest.migratePeakRssMiB ?? 0, unit: 'MiB', note: 'the CLI, with the npm script heap bound' });
  }
  return writeResult(
    'search',
    'search finds every match',
    `GET /api/assets with the web frontend's one-word searches and filters (${QUERIES.map((query) => query.label).join('; ')}) at ${SIZES.join(', ')} assets in staging's shape (composites created last, tagged with their stars' names), each size on a fresh Firestore emulator, held to a truth computed from the documents' text: recall over every page for queries of up to ${RECALL_PAGES_MAX} matches, first page and exact total for all. Reads from X-Documents-Read and X-Aggregation-Reads. At the largest size the documents are written without their index and \`npm run migrate -- apply --migration ${searchIndexMigration.id}\` builds it first.`,
    figures,
  );
}
