/**
 * `npm run bench [-- name ...]`: runs the benchmarks (all, or those named) and rewrites
 * bench/REPORT.md from every result present.
 */
import { runAlbumArtBench } from './album-art.bench.js';
import { runApiGetBench } from './api-get.bench.js';
import { runBodyMemoryBench } from './body-memory.bench.js';
import { runBuildBench } from './build.bench.js';
import type { BenchResult } from './bench-report.js';
import { writeReport } from './bench-report.js';
import { runColdStartBench } from './cold-start.bench.js';
import { runFrontendBench } from './frontend.bench.js';
import { runSearchBench } from './search.bench.js';
import { runOperationsBench } from './operations.bench.js';
import { runVariantsBench } from './variants.bench.js';
import { runMigrationBench } from './migration.bench.js';
import { runLoadBench } from './load.bench.js';
import { runHistoryBench } from './history.bench.js';
import { runImportBench } from './import.bench.js';

const BENCHMARKS: Record<string, () => Promise<BenchResult>> = {
  'api-get': runApiGetBench,
  'cold-start': runColdStartBench,
  search: runSearchBench,
  operations: runOperationsBench,
  variants: runVariantsBench,
  'album-art': runAlbumArtBench,
  migration: runMigrationBench,
  load: runLoadBench,
  history: runHistoryBench,
  frontend: runFrontendBench,
  import: runImportBench,
  'body-memory': runBodyMemoryBench,
  build: runBuildBench,
};

// No metadata server on this machine: without this the Google clients probe for one and warn.
process.env['METADATA_SERVER_DETECTION'] ??= 'none';
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
for (const name of requested.length > 0 ? requested : Object.keys(BENCHMARKS)) {
  console.log(`running ${name}...`);
  const result = await BENCHMARKS[name]!();
  for (const figure of result.figures) console.log(`  ${figure.name}: ${figure.value.toFixed(3)} ${figure.unit}`);
}
console.log(writeReport());
process.exit(0);
