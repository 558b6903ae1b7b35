/**
 * Documents read per search at 1,000 and at 10,000 assets, in one run, each size on a fresh stack
 * (a new Firestore emulator: it keeps the memory of deleted documents). The same deterministic
 * registry is generated for both sizes (the first 1,000 assets are identical) and the same query
 * mix is measured on each. Documents are written directly (batched) with the registry's own
 * search-term function; queries go through the HTTP API. Reads come from the API's
 * X-Documents-Read header, counted in the repository layer. Latency is reported for information
 * (the emulator has no indexes), and the slowest search at the larger size is held to the local
 * stack's usability bound (2 s).
 */
import { Firestore } from '@google-cloud/firestore';
import { withSearchIndex } from '../../functions/domain/search/search-terms.js';
import type { StoredAssetDocument } from '../../functions/domain/stored-asset.js';
import { percentile, writeResult, type BenchResult } from './bench-report.js';
import { BENCH_PROJECT, startBenchStack } from './bench-stack.js';

/** The two registry sizes (`SEARCH_BENCH_SIZES`, default 1000,10000) and the rounds of the mix. */
const [SMALL = 1000, LARGE = 10_000] = (process.env['SEARCH_BENCH_SIZES'] ?? '1000,10000').split(',').map(Number);
const ROUNDS = Number(process.env['SEARCH_BENCH_ROUNDS'] ?? 10);
const WARMUP_ROUNDS = 1;

/** A small deterministic generator, so both sizes and every run see the same registry. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const SYLLABLES = ['la', 'mor', 'ven', 'ka', 'ri', 'so', 'tel', 'an', 'dre', 'mi', 'nor', 'qua', 'bel', 'zu', 'fin', 'ost', 'ra', 'lune', 'chan', 'té'];
const COMMON = ['love', 'night', 'dance', 'heart', 'summer', 'blue', 'fire', 'dream', 'light', 'rain', 'city', 'gold'];
const LOOKS = [['S', 'POP', 'BAS'], ['S', 'RCK', 'BAS'], ['G', 'POP', 'BAS'], ['L', 'CAS', 'BAS'], ['M', 'POP', 'BAS']] as const;

/** Words from a vocabulary of a few thousand made-up words, with some common English ones. */
function vocabulary(random: () => number): string[] {
  const words: string[] = [];
  for (let index = 0; index < 4000; index++) {
    const length = 2 + Math.floor(random() * 2);
    let word = '';
    for (let part = 0; part < length; part++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)]!;
    words.push(word);
  }
  return words;
}

function assetAt(index: number, words: string[], random: () => number): StoredAssetDocument {
  const pick = (): string => (random() < 0.15 ? COMMON[Math.floor(random() * COMMON.length)]! : words[Math.floor(random() * words.length)]!);
  const phrase = (count: number): string => Array.from({ length: count }, pick).join(' ');
  const title = (text: string): string => text.replace(/\b\p{L}/gu, (letter) => letter.toUpperCase());
  const [layer, categoryCode, subcategoryCode] = LOOKS[index % LOOKS.length]!;
  const sequence = String(Math.floor(index / LOOKS.length) + 1).padStart(3, '0');
  const createdAt = new Date(Date.UTC(2024, 0, 1) + index * 60_000).toISOString();
  const songName = title(phrase(2 + Math.floor(random() * 2)));
  return withSearchIndex({
    name: `${layer}.${categoryCode}.${subcategoryCode}.${sequence}`,
    nna_address: `${LOOKS.indexOf(LOOKS[index % LOOKS.length]!) + 1}.001.001.${sequence}`,
    layer,
    category: categoryCode,
    subcategory: subcategoryCode,
    categoryCode,
    subcategoryCode,
    description: `${songName} ${phrase(8)}`,
    creatorDescription: phrase(30),
    tags: [pick(), pick()],
    source: 'ReViz',
    files: [],
    metadata: {},
    status: random() < 0.8 ? 'active' : 'draft',
    createdBy: 'bench@example.com',
    createdAt,
    updatedAt: createdAt,
    extractedSongData: { songName, artistName: title(phrase(2)), albumName: title(phrase(2)) },
  });
}

async function seed(db: Firestore, from: number, to: number, words: string[], random: () => number): Promise<StoredAssetDocument[]> {
  const written: StoredAssetDocument[] = [];
  for (let start = from; start < to; start += 400) {
    const batch = db.batch();
    for (let index = start; index < Math.min(to, start + 400); index++) {
      const document = assetAt(index, words, random);
      batch.set(db.collection('assets').doc(`bench-${index}`), document);
      written.push(document);
    }
    await batch.commit();
  }
  return written;
}

/** The fixed mix: typed song titles, a word with filters, one common word, a typed HFN, a listing page. */
function queryMix(sample: StoredAssetDocument[]): string[] {
  const queries: string[] = [];
  for (const document of sample.slice(0, 6)) {
    const [first = '', second = ''] = (document.extractedSongData?.songName ?? '').split(' ');
    queries.push(`search=${encodeURIComponent(`${first} ${second.slice(0, 3)}`)}`);
  }
  const artist = sample[7]!.extractedSongData!.artistName!.split(' ')[0]!;
  queries.push(`search=${encodeURIComponent(artist)}&layer=${sample[7]!.layer}&status=active`);
  queries.push('search=lov');
  queries.push('search=summer%20night&limit=50');
  queries.push(`search=${encodeURIComponent(sample[9]!.name)}`);
  queries.push('layer=S&category=POP&limit=20');
  return queries;
}

interface Measured {
  p95: number;
  p50: number;
  slowest: number;
  readsMean: number;
  readsMax: number;
}

async function measure(baseUrl: string, queries: string[]): Promise<Measured> {
  const times: number[] = [];
  const reads: number[] = [];
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    for (const query of queries) {
      const started = process.hrtime.bigint();
      const response = await fetch(`${baseUrl}/api/assets/search?${query}`);
      await response.arrayBuffer();
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      if (response.status !== 200) throw new Error(`search ${query} answered ${response.status}`);
      if (round < WARMUP_ROUNDS) continue;
      times.push(elapsed);
      reads.push(Number(response.headers.get('x-documents-read')));
    }
  }
  times.sort((a, b) => a - b);
  return {
    p95: percentile(times, 0.95),
    p50: percentile(times, 0.5),
    slowest: times.at(-1)!,
    readsMean: reads.reduce((sum, value) => sum + value, 0) / reads.length,
    readsMax: Math.max(...reads),
  };
}

/** A fresh stack holding the first `size` assets of the registry; the query mix is measured on it. */
async function measureAt(size: number): Promise<{ measured: Measured; queries: string[] }> {
  const stack = await startBenchStack();
  const db = new Firestore({ projectId: BENCH_PROJECT });
  try {
    const random = generator(42);
    const words = vocabulary(random);
    const seeded = Date.now();
    const first = await seed(db, 0, size, words, random);
    const queries = queryMix(first);
    console.log(`  ${size} assets seeded in ${Date.now() - seeded} ms`);
    const measured = await measure(stack.api.url, queries);
    console.log(`  search at ${size}: p95 ${measured.p95.toFixed(1)} ms, slowest ${measured.slowest.toFixed(0)} ms, reads mean ${measured.readsMean.toFixed(1)}, max ${measured.readsMax}`);
    return { measured, queries };
  } finally {
    await db.terminate();
    await stack.stop();
  }
}

export async function runSearchBench(): Promise<BenchResult> {
  const { measured: small, queries } = await measureAt(SMALL);
  const { measured: large } = await measureAt(LARGE);
  return writeResult(
    'search',
    'issue 16',
    `GET /api/assets/search, a fixed mix of ${queries.length} queries (typed titles, word + filters, a common word, two words with limit 50, a typed HFN, a listing page) x ${ROUNDS} rounds, sequential, at ${SMALL} and at ${LARGE} assets, each size on a fresh Firestore emulator. Reads counted in the repository layer (what production bills and what its latency follows); latency on the emulator for information, and the slowest search at ${LARGE} against the local stack's 2 s bound.`,
    [
      { name: `documents read per query at ${SMALL} (max)`, value: small.readsMax, unit: 'docs' },
      { name: `documents read per query at ${LARGE} (max)`, value: large.readsMax, unit: 'docs', note: 'bounded by the candidate limit (300, or the page limit when larger) + 1, + 1 for an address lookup' },
      { name: `max documents read ratio ${LARGE}/${SMALL}`, value: large.readsMax / small.readsMax, unit: 'x', goal: { comparison: '<=', target: 1.1 } },
      { name: `documents read per query at ${SMALL} (mean)`, value: small.readsMean, unit: 'docs' },
      { name: `documents read per query at ${LARGE} (mean)`, value: large.readsMean, unit: 'docs', note: 'broad words match more assets as the registry grows, up to the limit' },
      { name: `search p50 at ${SMALL} assets`, value: small.p50, unit: 'ms' },
      { name: `search p50 at ${LARGE} assets`, value: large.p50, unit: 'ms' },
      { name: `search p95 at ${SMALL} assets`, value: small.p95, unit: 'ms' },
      { name: `search p95 at ${LARGE} assets`, value: large.p95, unit: 'ms', note: 'emulator, for information' },
      { name: `slowest search at ${LARGE} assets (local stack)`, value: large.slowest, unit: 'ms', goal: { comparison: '<=', target: 2000 } },
    ],
  );
}
