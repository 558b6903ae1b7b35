/**
 * Migration throughput and memory: 10,000 legacy assets migrated by `npm run migrate` (batch size
 * 100, backups to the backup collection, default concurrency) against the seed's loop (read all,
 * one write per document, one after the other), on the same emulator in one run; then the tool's
 * peak RSS at 10,000 and at a larger size (MIGRATION_BENCH_LARGE, default 100,000).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Firestore } from '@google-cloud/firestore';
import { creatorDescriptionMigration } from '../../functions/migration/migrations/2025-06-creator-description.js';
import type { RunReport } from '../../functions/migration/progress.js';
import { clearFirestore, startEmulators } from '../lib/emulators.js';
import { seedLegacyAssetCollection } from '../lib/legacy-asset-generator.js';
import { writeResult, type BenchResult, type Figure } from './bench-report.js';

const PROJECT = 'nna-bench-migration';
const SIZE = 10_000;
const LARGE = Number(process.env['MIGRATION_BENCH_LARGE'] ?? 100_000);
const MIGRATE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrate.js');

async function naiveLoop(db: Firestore): Promise<number> {
  const started = Date.now();
  const all = await db.collection('assets').get();
  for (const document of all.docs) {
    const data = document.data();
    if (creatorDescriptionMigration.selects(data)) await document.ref.set(creatorDescriptionMigration.up(data));
  }
  return Date.now() - started;
}

async function runTool(host: string, args: string[]): Promise<RunReport & { wallMs: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [MIGRATE, 'apply', '--migration', creatorDescriptionMigration.id, '--yes', ...args], {
    env: { PATH: process.env['PATH'] ?? '', DEPLOY_ENV: 'test', GOOGLE_CLOUD_PROJECT: PROJECT, FIRESTORE_EMULATOR_HOST: host, USER: 'bench', LOG_LEVEL: 'WARNING' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const line = stdout.split('\n').find((candidate) => candidate.includes('"event":"report"'));
  if (code !== 0 || !line) throw new Error(`migrate exited ${code}: ${stdout.slice(-2000)}`);
  return { ...(JSON.parse(line) as RunReport), wallMs: Date.now() - started };
}

export async function runMigrationBench(): Promise<BenchResult> {
  const emulators = await startEmulators(path.join(os.tmpdir(), 'nna-bench-migration-logs'));
  process.env['FIRESTORE_EMULATOR_HOST'] = emulators.firestore.host;
  const db = new Firestore({ projectId: PROJECT });
  const fresh = async (count: number) => {
    await clearFirestore(emulators.firestore.host, PROJECT);
    await seedLegacyAssetCollection(db, 'assets', count);
  };
  try {
    await fresh(SIZE);
    const naiveMs = await naiveLoop(db);
    await fresh(SIZE);
    const tool = await runTool(emulators.firestore.host, []);
    console.log(`  naive ${naiveMs} ms, tool ${tool.durationMs} ms (wall ${tool.wallMs} ms), ${tool.counts.migrated} migrated, peak RSS ${tool.peakRssBytes}`);
    const figures: Figure[] = [
      { name: 'seed loop, 10,000 assets', value: naiveMs / 1000, unit: 's' },
      { name: 'migrate apply, 10,000 assets', value: tool.durationMs / 1000, unit: 's', note: 'batch 100, 4 in flight, backup collection' },
      { name: 'speed-up over the seed loop', value: naiveMs / tool.durationMs, unit: 'x', goal: { comparison: '>=', target: 10 } },
      { name: 'speed-up counting process start', value: naiveMs / tool.wallMs, unit: 'x' },
    ];
    const smallRss = tool.peakRssBytes!;
    const seedStarted = Date.now();
    await fresh(LARGE);
    const seedLargeMs = Date.now() - seedStarted;
    const large = await runTool(emulators.firestore.host, []);
    console.log(`  ${LARGE}: seeded in ${seedLargeMs} ms, migrated in ${large.durationMs} ms, peak RSS ${large.peakRssBytes}`);
    figures.push(
      { name: 'peak RSS at 10,000', value: smallRss / 2 ** 20, unit: 'MiB' },
      { name: `peak RSS at ${LARGE.toLocaleString('en-US')}`, value: large.peakRssBytes! / 2 ** 20, unit: 'MiB' },
      { name: `peak RSS ratio ${LARGE.toLocaleString('en-US')} / 10,000`, value: large.peakRssBytes! / smallRss, unit: 'x', goal: { comparison: '<=', target: 1.1 } },
      { name: `migrate apply, ${LARGE.toLocaleString('en-US')} assets`, value: large.durationMs / 1000, unit: 's' },
    );
    return writeResult('migration', 'issue 6', 'The migration tool against the seed loop on the Firestore emulator, and its memory as the collection grows.', figures);
  } finally {
    await db.terminate();
    await emulators.stop();
  }
}
