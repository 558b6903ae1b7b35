/**
 * Search in staging's shape (scripts/lib/staging-search-registry.ts: composites created last,
 * tagged with their stars' names, so a broad word is held by a newer layer than the one filtered),
 * the web frontend's one-word queries with filters, each held to a truth computed here from the
 * documents' text, side by side in one run:
 * - through the HTTP API on a fresh Firestore emulator at 1,000 and 10,000 assets
 *   (`SEARCH_BENCH_SIZES`): the first page as the frontend asks it, then every page (1,000 items
 *   each) for recall; documents read from X-Documents-Read (counted by the asset queries' adapter),
 *   aggregation reads from X-Aggregation-Reads; latency for information;
 * - through the same use case over the in-memory repository (held to the Firestore adapter's
 *   contract, read counting included) at 1,000 and 100,000 assets (`SEARCH_BENCH_MEMORY_SIZES`):
 *   the emulator has no indexes and scans every asset's token array for every query (about 35 s a
 *   page at 10,000 assets on a loaded machine), so at 100,000 it measures the emulator, not the design;
 * - the index build at 100,000 assets (`SEARCH_BENCH_BUILD_SIZE`): the documents written without
 *   their index on the emulator, then `npm run migrate -- apply --migration 2026-12-search-index`:
 *   its time and the CLI's peak RSS.
 */
import { Firestore } from '@google-cloud/firestore';
import { listAssetsQuerySchema } from '../../functions/domain/schemas/asset-query.js';
import { searchIndexMigration } from '../../functions/migration/migrations/2026-12-search-index.js';
import { assetUseCasesOverFakes } from '../../test/support/fakes/asset-use-cases-over-fakes.js';
import { searchTruth, type TruthDocument } from '../lib/search-truth.js';
import { PERFORMERS, storedStagingDocuments } from '../lib/staging-search-registry.js';
import { percentile, writeResult, type BenchResult, type Figure } from './bench-report.js';
import { BENCH_PROJECT, startBenchStack } from './bench-stack.js';
import { runMigrateApply } from './migrate-runner.js';

const SIZES = (process.env['SEARCH_BENCH_SIZES'] ?? '1000,10000').split(',').map(Number);
const MEMORY_SIZES = (process.env['SEARCH_BENCH_MEMORY_SIZES'] ?? '1000,100000').split(',').map(Number);
const BUILD_SIZE = Number(process.env['SEARCH_BENCH_BUILD_SIZE'] ?? 100_000);
/** Recall pages through every answer this many items a page. */
const RECALL_PAGE = 1000;
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
  next?: string | undefined;
  reads: number;
  aggregationReads: number;
  ms: number;
}

type Ask = (query: Query, limit: number, cursor?: string) => Promise<Answer>;

function httpAsk(baseUrl: string): Ask {
  return async (query, limit, cursor) => {
    const params = new URLSearchParams({ ...query.params, limit: String(limit), ...(cursor ? { cursor } : {}) });
    const started = process.hrtime.bigint();
    const response = await fetch(`${baseUrl}/api/assets?${params.toString()}`);
    const body = (await response.json()) as { data: { items: Array<{ id: string }>; total: number; nextCursor?: string } };
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (response.status !== 200) throw new Error(`${params.toString()} answered ${response.status}`);
    return {
      ids: body.data.items.map((item) => item.id),
      total: body.data.total,
      next: body.data.nextCursor,
      reads: Number(response.headers.get('x-documents-read')),
      aggregationReads: Number(response.headers.get('x-aggregation-reads')),
      ms,
    };
  };
}

interface AtSize {
  size: number;
  /** Matches found over every page / true matches. */
  recall: number;
  /** Every first page and total equal the truth's. */
  exact: boolean;
  /** Each query's first page: documents read and items served. */
  firstPages: Map<string, { reads: number; items: number }>;
  /** Documents read beyond the items served, the most of any answer. */
  overheadMax: number;
  aggregationReadsMax: number;
  p50: number;
  p95: number;
}

/** The queries' first pages as the frontend asks them, then every page for recall, against the truth. */
async function measure(size: number, ask: Ask, documents: TruthDocument[]): Promise<AtSize> {
  let found = 0;
  let expected = 0;
  let exact = true;
  const firstPages = new Map<string, { reads: number; items: number }>();
  const overheads: number[] = [];
  const aggregations: number[] = [];
  const times: number[] = [];
  for (const query of QUERIES) {
    const truth = searchTruth(documents, query.search, query.truth);
    const first = await ask(query, query.limit);
    firstPages.set(query.label, { reads: first.reads, items: first.ids.length });
    exact &&= first.total === truth.length && first.ids.join() === truth.slice(0, query.limit).join();
    times.push(first.ms);
    const answers = [first];
    const ids = new Set<string>();
    let page: Answer | undefined = await ask(query, RECALL_PAGE);
    answers.push(page);
    for (;;) {
      for (const id of page.ids) ids.add(id);
      if (!page.next) break;
      page = await ask(query, RECALL_PAGE, page.next);
      answers.push(page);
    }
    found += truth.filter((id) => ids.has(id)).length;
    expected += truth.length;
    for (const answer of answers) {
      overheads.push(answer.reads - answer.ids.length);
      aggregations.push(answer.aggregationReads);
    }
    console.log(`  ${size}: ${query.label}: ${truth.length} matches; first page read ${first.reads} for ${first.ids.length} items in ${first.ms.toFixed(0)} ms`);
  }
  times.sort((a, b) => a - b);
  return {
    size,
    recall: expected === 0 ? 1 : found / expected,
    exact,
    firstPages,
    overheadMax: Math.max(...overheads),
    aggregationReadsMax: Math.max(...aggregations),
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
  };
}

/** Writes the registry to the emulator as the importer stores it, or without its search index. */
async function seed(db: Firestore, size: number, withIndex: boolean): Promise<TruthDocument[]> {
  const documents: TruthDocument[] = [];
  let batch = db.batch();
  let pending = 0;
  for (const { id, data } of storedStagingDocuments(size, compositeShareAt(size))) {
    if (withIndex) documents.push({ id, data });
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

async function onEmulator(size: number): Promise<AtSize> {
  // The emulator's scans outlast the deployed deadline at the larger sizes; the deadline is not what is measured.
  const stack = await startBenchStack({ FIRESTORE_DEADLINE_MS: '300000' });
  const db = new Firestore({ projectId: BENCH_PROJECT });
  try {
    return await measure(size, httpAsk(stack.api.url), await seed(db, size, true));
  } finally {
    await db.terminate();
    await stack.stop();
  }
}

async function inMemory(size: number): Promise<AtSize> {
  const world = assetUseCasesOverFakes();
  const documents: TruthDocument[] = [...storedStagingDocuments(size, compositeShareAt(size))];
  await world.store.seedMany(documents.map(({ id, data }) => ({ id, document: data })));
  const ask: Ask = async (query, limit, cursor) => {
    const started = process.hrtime.bigint();
    const listing = await world.assets.listing.list(listAssetsQuerySchema.parse({ ...query.params, limit, ...(cursor ? { cursor } : {}) }));
    return {
      ids: listing.items.map((item) => item.id),
      total: listing.total,
      next: listing.nextCursor,
      reads: listing.documentsRead,
      aggregationReads: listing.aggregationReads,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
    };
  };
  return measure(size, ask, documents);
}

async function indexBuild(size: number): Promise<{ ms: number; peakRssMiB: number }> {
  const stack = await startBenchStack();
  const db = new Firestore({ projectId: BENCH_PROJECT });
  try {
    await seed(db, size, false);
    const report = await runMigrateApply(process.env['FIRESTORE_EMULATOR_HOST']!, BENCH_PROJECT, searchIndexMigration.id);
    console.log(`  index built for ${size} assets in ${report.wallMs} ms, peak RSS ${((report.peakRssBytes ?? 0) / 2 ** 20).toFixed(0)} MiB`);
    return { ms: report.wallMs, peakRssMiB: (report.peakRssBytes ?? 0) / 2 ** 20 };
  } finally {
    await db.terminate();
    await stack.stop();
  }
}

/** The largest first-page read of the queries whose first page is full at every size. */
function readsRatio(results: AtSize[]): { ratio: number; note: string } {
  const full = QUERIES.filter((query) => results.every((result) => result.firstPages.get(query.label)!.items === query.limit));
  const maxReads = (result: AtSize): number => Math.max(...full.map((query) => result.firstPages.get(query.label)!.reads));
  const [smallest, largest] = [results[0]!, results[results.length - 1]!];
  return {
    ratio: maxReads(largest) / maxReads(smallest),
    note: `first pages of ${full.map((query) => query.label).join(', ')}: ${maxReads(smallest)} and ${maxReads(largest)} documents`,
  };
}

function figuresOf(where: string, result: AtSize, latency: boolean): Figure[] {
  const figures: Figure[] = [
    { name: `recall over every page, ${result.size} assets (${where})`, value: result.recall, unit: '', goal: { comparison: '>=', target: 1 } },
    { name: `first pages and totals equal to the truth, ${result.size} assets (${where})`, value: result.exact ? 1 : 0, unit: '', goal: { comparison: '>=', target: 1 } },
    {
      name: `documents read beyond the items served, ${result.size} assets (${where}, max)`,
      value: result.overheadMax,
      unit: 'docs',
      note: 'one more to see whether others follow, one read a tier passed empty, the id lookup',
    },
    { name: `aggregation reads per answer, ${result.size} assets (${where}, max)`, value: result.aggregationReadsMax, unit: 'reads', note: 'count(): one read per 1,000 index entries' },
  ];
  if (latency) {
    figures.push({ name: `first page p50, ${result.size} assets (${where})`, value: result.p50, unit: 'ms', note: `p95 ${result.p95.toFixed(0)} ms; the emulator scans the collection, for information` });
  }
  return figures;
}

export async function runSearchBench(): Promise<BenchResult> {
  const emulator: AtSize[] = [];
  for (const size of SIZES) emulator.push(await onEmulator(size));
  const memory: AtSize[] = [];
  for (const size of MEMORY_SIZES) memory.push(await inMemory(size));
  const build = await indexBuild(BUILD_SIZE);
  const figures: Figure[] = [...emulator.flatMap((result) => figuresOf('emulator, HTTP', result, true)), ...memory.flatMap((result) => figuresOf('in-memory repository', result, false))];
  const onDisk = readsRatio(emulator);
  const inRam = readsRatio(memory);
  figures.push({ name: `max documents read per query ${emulator.at(-1)!.size} / ${emulator[0]!.size} (emulator, HTTP)`, value: onDisk.ratio, unit: 'x', goal: { comparison: '<=', target: 1.1 }, note: onDisk.note });
  figures.push({ name: `max documents read per query ${memory.at(-1)!.size} / ${memory[0]!.size} (in-memory repository)`, value: inRam.ratio, unit: 'x', goal: { comparison: '<=', target: 1.1 }, note: inRam.note });
  figures.push({ name: `index build by the migration, ${BUILD_SIZE} assets`, value: build.ms / 1000, unit: 's', note: 'npm run migrate -- apply, emulator, history backups' });
  figures.push({ name: `index build peak RSS, ${BUILD_SIZE} assets`, value: build.peakRssMiB, unit: 'MiB', note: 'the CLI, with the npm script heap bound' });
  return writeResult(
    'search',
    'search finds every match',
    `The web frontend's one-word searches with filters (${QUERIES.map((query) => query.label).join('; ')}) over registries in staging's shape (composites created last, tagged with their stars' names), each answer held to a truth computed from the documents' text (the first page as the frontend asks it, then every page of ${RECALL_PAGE} for recall): through the HTTP API on a fresh Firestore emulator at ${SIZES.join(' and ')} assets; through the same use case over the in-memory repository (held to the Firestore adapter's contract, read counting included) at ${MEMORY_SIZES.join(' and ')} assets, since the emulator scans every asset's token array for every query; and the index build of ${BUILD_SIZE} assets written without it, by \`npm run migrate -- apply --migration ${searchIndexMigration.id}\`.`,
    figures,
  );
}
