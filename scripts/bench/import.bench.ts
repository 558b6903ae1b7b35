/**
 * `npm run import -- apply` on the Firestore emulator, as operators run it (the npm script's node
 * flags, a mongoexport NDJSON file, history entries on), pacing lifted (`--max-writes-per-second
 * unlimited`: the default ramp would make the figures Firestore's guidance rather than the tool's).
 *
 * - Staging: 1,103 assets in staging's mix (710 composites, the rest over G, S, L, M, W): seconds and docs/s.
 * - Scale: 10,000 against 100,000 generated assets (IMPORT_BENCH_SMALL, IMPORT_BENCH_LARGE), 20%
 *   composites in both (C's 24 paths of 999 cannot hold staging's 64% of 100,000), run side by side
 *   in this one run, a fresh emulator each: the time per document and the CLI's peak RSS, as ratios.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import v8 from 'node:v8';
import vm from 'node:vm';
import { nameKeyOf } from '../../functions/cutover/legacy-asset.js';
import { NameIndex } from '../../functions/cutover/name-index.js';
import { startFirestoreEmulator } from '../lib/emulators.js';
import { stagingExportLines } from '../lib/staging-export-generator.js';
import { npmScriptNodeFlags, writeResult, type BenchResult, type Figure } from './bench-report.js';

const PROJECT = 'nna-bench-import';
const SMALL = Number(process.env['IMPORT_BENCH_SMALL'] ?? '10000');
const LARGE = Number(process.env['IMPORT_BENCH_LARGE'] ?? '100000');
const STAGING = 1103;
const STAGING_COMPOSITES = 710;
const SCALE_COMPOSITE_SHARE = 0.2;
const IMPORT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../import.js');
const SCRATCH = mkdtempSync(path.join(os.tmpdir(), 'nna-bench-import-'));

interface Run {
  count: number;
  durationMs: number;
  peakRssBytes: number;
  documentsRead: number;
  documentsWritten: number;
}

async function writeExport(count: number, compositeShare: number): Promise<string> {
  const file = path.join(SCRATCH, `export-${count}.json`);
  const out = createWriteStream(file);
  for (const line of stagingExportLines(count, compositeShare)) if (!out.write(`${line}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return file;
}

/** One apply on a fresh emulator: the report's figures. */
async function importOnce(file: string, count: number): Promise<Run> {
  const emulator = await startFirestoreEmulator(path.join(SCRATCH, 'logs'));
  try {
    const child = spawn(process.execPath, [...npmScriptNodeFlags('import'), IMPORT, 'apply', '--from', file, '--yes', '--max-writes-per-second', 'unlimited'], {
      env: { PATH: process.env['PATH'] ?? '', METADATA_SERVER_DETECTION: 'none', DEPLOY_ENV: 'test', GOOGLE_CLOUD_PROJECT: PROJECT, FIRESTORE_EMULATOR_HOST: emulator.host, USER: 'bench', LOG_LEVEL: 'WARNING' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    const line = stdout.split('\n').find((candidate) => candidate.includes('"event":"report"'));
    if (code !== 0 || !line) throw new Error(`import exited ${code}: ${stdout.slice(-2000)}`);
    const report = JSON.parse(line) as Run & { counts: { created: number } };
    if (report.counts.created !== count) throw new Error(`created ${report.counts.created} of ${count}`);
    return { count, durationMs: report.durationMs, peakRssBytes: report.peakRssBytes, documentsRead: report.documentsRead, documentsWritten: report.documentsWritten };
  } finally {
    await emulator.stop();
  }
}

const MIB = 1024 * 1024;

/** Heap and Buffer memory in use after full collections (gc exposed at run time: the bench is started without --expose-gc). */
function liveBytes(): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/**
 * What the conflict check's name index retains once it holds the names of `count` generated assets
 * (as an import into an empty target leaves it), and what a Map of strings (the earlier design)
 * retained: the part of the importer's memory that grows with the number of assets, measured
 * without the noise of a run.
 */
function retainedByNames(count: number): { index: number; strings: number } {
  const fill = (set: (key: string, id: string) => void): void => {
    for (const line of stagingExportLines(count, SCALE_COMPOSITE_SHARE)) {
      const document = JSON.parse(line) as { _id: { $oid: string }; name: string };
      set(nameKeyOf({ name: document.name }), document._id.$oid);
    }
  };
  const empty = liveBytes();
  const index = new NameIndex();
  fill((key, id) => index.set(key, id));
  const withIndex = liveBytes();
  const strings = new Map<string, string>();
  fill((key, id) => strings.set(key, id));
  const withBoth = liveBytes();
  // Both are used after the measures, so neither is collected before them.
  if (index.size !== strings.size) throw new Error(`the name index holds ${index.size} names of ${strings.size}`);
  return { index: withIndex - empty, strings: withBoth - withIndex };
}
const thousands = (value: number): string => value.toLocaleString('en-US');

export async function runImportBench(): Promise<BenchResult> {
  const staging = await importOnce(await writeExport(STAGING, STAGING_COMPOSITES / STAGING), STAGING);
  console.log(`  staging ${STAGING}: ${(staging.durationMs / 1000).toFixed(2)} s`);
  const small = await importOnce(await writeExport(SMALL, SCALE_COMPOSITE_SHARE), SMALL);
  console.log(`  ${SMALL}: ${(small.durationMs / 1000).toFixed(1)} s, ${(small.peakRssBytes / MIB).toFixed(0)} MiB`);
  const large = await importOnce(await writeExport(LARGE, SCALE_COMPOSITE_SHARE), LARGE);
  console.log(`  ${LARGE}: ${(large.durationMs / 1000).toFixed(1)} s, ${(large.peakRssBytes / MIB).toFixed(0)} MiB`);
  const [smallNames, largeNames] = [retainedByNames(SMALL), retainedByNames(LARGE)];
  const perDocument = (run: Run): number => (run.durationMs * 1000) / run.count;
  const figures: Figure[] = [
    { name: `staging mix, ${thousands(STAGING)} assets (${STAGING_COMPOSITES} composites)`, value: staging.durationMs / 1000, unit: 's' },
    { name: `staging mix, ${thousands(STAGING)} assets: rate`, value: (STAGING * 1000) / staging.durationMs, unit: 'docs/s' },
    { name: `${thousands(SMALL)} assets: time per document`, value: perDocument(small), unit: 'µs' },
    { name: `${thousands(LARGE)} assets: time per document`, value: perDocument(large), unit: 'µs' },
    { name: `time per document, ${thousands(LARGE)} / ${thousands(SMALL)}`, value: perDocument(large) / perDocument(small), unit: 'ratio', goal: { comparison: '<=', target: 1.2 } },
    { name: `${thousands(SMALL)} assets: peak RSS`, value: small.peakRssBytes / MIB, unit: 'MiB' },
    { name: `${thousands(LARGE)} assets: peak RSS`, value: large.peakRssBytes / MIB, unit: 'MiB' },
    { name: `peak RSS, ${thousands(LARGE)} / ${thousands(SMALL)}`, value: large.peakRssBytes / small.peakRssBytes, unit: 'ratio', goal: { comparison: '<=', target: 1.1 } },
    { name: `${thousands(SMALL)} names: retained by the name index`, value: smallNames.index / MIB, unit: 'MiB' },
    {
      name: `${thousands(LARGE)} names: retained by the name index`,
      value: largeNames.index / MIB,
      unit: 'MiB',
      note: `${(largeNames.index / LARGE).toFixed(0)} bytes a name; a Map of strings (the earlier design) ${(largeNames.strings / MIB).toFixed(1)} MiB, ${(largeNames.strings / LARGE).toFixed(0)} bytes a name`,
    },
    { name: `${thousands(LARGE)} assets: target documents read per asset`, value: large.documentsRead / LARGE, unit: 'reads', note: 'the names pass, two getAll reads per asset (asset, deleted), counters' },
  ];
  return writeResult(
    'import',
    'cutover import',
    `npm run import -- apply (node ${npmScriptNodeFlags('import').join(' ')}, history entries on, pacing lifted with --max-writes-per-second unlimited) from a mongoexport NDJSON file, ` +
      `a fresh Firestore emulator per run: ${thousands(STAGING)} assets in staging's mix, then ${thousands(SMALL)} against ${thousands(LARGE)} generated assets in the staging shapes ` +
      `(20% composites in both), side by side in one run. Time is the report's durationMs (the names pass, reads and commits; not the process start).`,
    figures,
  );
}
