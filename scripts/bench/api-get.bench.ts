/**
 * GET latency of an asset carrying every new field against a legacy-shaped asset, measured
 * interleaved in one run so that drift affects both alike.
 */
import { Firestore } from '@google-cloud/firestore';
import { percentile, writeResult, type BenchResult } from './bench-report.js';
import { BENCH_PROJECT, startBenchStack } from './bench-stack.js';

const REQUESTS_EACH = 2000;
const WARMUP = 200;

async function timedGet(url: string): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export async function runApiGetBench(): Promise<BenchResult> {
  const stack = await startBenchStack();
  try {
    const created = await fetch(`${stack.api.url}/api/assets`, {
      method: 'POST',
      headers: { Authorization: 'Bearer dev:bench@example.com:editor', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        layer: 'G',
        category: 'Pop',
        subcategory: 'Base',
        description: 'Benchmark song with every new field',
        tags: ['pop', 'bench'],
        creatorDescription: 'c'.repeat(500),
        albumArt: { sourceUrl: 'https://is1-ssl.mzstatic.com/image/thumb/a/600x600bb.jpg', quality: 'High' },
        aiMetadata: { generatedBy: 'model', generationStrategy: 'song-first', processingTime: 1234, confidence: 0.87, generatedAt: '2025-06-01T10:00:00.000Z', inputContext: 'x'.repeat(200), fallbackUsed: false },
        extractedSongData: { songName: 'Song', albumName: 'Album', artistName: 'Artist' },
      }),
    });
    const full = ((await created.json()) as { data: { id: string } }).data.id;
    const db = new Firestore({ projectId: BENCH_PROJECT });
    await db.collection('assets').doc('legacy').set({
      name: 'G.POP.BAS.900', nna_address: '1.001.001.900', layer: 'G', category: 'Pop', subcategory: 'Base', categoryCode: 'POP', subcategoryCode: 'BAS',
      description: 'Legacy-shaped benchmark song', tags: ['pop', 'bench'], source: 'ReViz', files: [], metadata: {}, status: 'active',
      createdBy: 'legacy@example.com', createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z',
    });
    await db.terminate();
    const fullUrl = `${stack.api.url}/api/assets/${full}`;
    const legacyUrl = `${stack.api.url}/api/assets/legacy`;
    for (let index = 0; index < WARMUP; index++) await timedGet(index % 2 ? fullUrl : legacyUrl);
    const fullTimes: number[] = [];
    const legacyTimes: number[] = [];
    for (let index = 0; index < REQUESTS_EACH; index++) {
      // Alternate which goes first so neither always follows the other.
      if (index % 2) {
        fullTimes.push(await timedGet(fullUrl));
        legacyTimes.push(await timedGet(legacyUrl));
      } else {
        legacyTimes.push(await timedGet(legacyUrl));
        fullTimes.push(await timedGet(fullUrl));
      }
    }
    fullTimes.sort((a, b) => a - b);
    legacyTimes.sort((a, b) => a - b);
    const figures = {
      fullP50: percentile(fullTimes, 0.5),
      fullP99: percentile(fullTimes, 0.99),
      legacyP50: percentile(legacyTimes, 0.5),
      legacyP99: percentile(legacyTimes, 0.99),
    };
    return writeResult('api-get', 'reading one asset', `GET /api/assets/:id, ${REQUESTS_EACH} requests each, interleaved, sequential, against the Firestore emulator.`, [
      { name: 'GET p50, asset with all new fields', value: figures.fullP50, unit: 'ms' },
      { name: 'GET p50, legacy-shaped asset', value: figures.legacyP50, unit: 'ms' },
      { name: 'GET p99, asset with all new fields', value: figures.fullP99, unit: 'ms' },
      { name: 'GET p99, legacy-shaped asset', value: figures.legacyP99, unit: 'ms' },
      { name: 'p50 ratio new/legacy', value: figures.fullP50 / figures.legacyP50, unit: 'x', goal: { comparison: '<=', target: 1.1 } },
      { name: 'p99 ratio new/legacy', value: figures.fullP99 / figures.legacyP99, unit: 'x', goal: { comparison: '<=', target: 1.1 } },
    ]);
  } finally {
    await stack.stop();
  }
}
