/**
 * Migration throughput against the write floor, and memory as the collection grows.
 *
 * Speed: for every cell of a grid (batch size x batches in flight) a fresh Firestore emulator gets
 * MIGRATION_BENCH_SIZE legacy assets (10,000 by default, 90% to migrate) twice: once for the floor,
 * the same updates as batched writes with no reads, no preconditions and no backups; once for
 * `npm run migrate -- apply` (the CLI, with the npm script's node flags) with history backups. The
 * order of the two alternates from cell to cell, after two warm-up passes (the emulator's JVM is slow
 * on its first large workloads). The goal compares apply at the CLI's defaults with the best floor of the grid, all from this one run. The seed's loop and file backups are measured
 * beside it for information. At the defaults, apply's parts are measured alone too, in this process
 * and in a fresh one (scripts/bench/migration-parts-child.ts), with the busy time of the CLI's thread.
 *
 * Memory: the CLI's peak RSS, median of MIGRATION_BENCH_RSS_RUNS runs (default 3) at 10,000 and
 * 30,000 assets (and at MIGRATION_BENCH_LARGE, e.g. 100,000, when set), a fresh emulator per run:
 * the emulator keeps the memory of deleted documents and slows down after many large seeds.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Firestore } from '@google-cloud/firestore';
import { plainDocumentOf, storedDocumentOf } from '../../functions/adapters/firestore/firestore-values.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY } from '../../functions/migration/apply-migration.js';
import { creatorDescriptionMigration } from '../../functions/migration/migrations/2025-06-creator-description.js';
import type { RunReport } from '../../functions/migration/progress.js';
import { clearFirestore, startFirestoreEmulator } from '../lib/emulators.js';
import { seedLegacyAssetCollection } from '../lib/legacy-asset-generator.js';
import { median, writeResult, type BenchResult, type Figure } from './bench-report.js';
import { plannedUpdates, readAlone, writeUpdates, type PlannedUpdate } from './migration-parts.js';
import { migrateNodeFlags, runMigrateApply, runNode } from './migrate-runner.js';

const PROJECT = 'nna-bench-migration';
const numbers = (name: string, fallback: string): number[] => (process.env[name] ?? fallback).split(',').map(Number);
const SIZE = numbers('MIGRATION_BENCH_SIZE', '10000')[0]!;
const BATCH_SIZES = numbers('MIGRATION_BENCH_BATCHES', `100,${DEFAULT_BATCH_SIZE},500`);
const CONCURRENCIES = numbers('MIGRATION_BENCH_CONCURRENCY', `4,${DEFAULT_CONCURRENCY},16`);
const RSS_SIZES = [10_000, 30_000, ...(process.env['MIGRATION_BENCH_LARGE'] ? numbers('MIGRATION_BENCH_LARGE', '') : [])];
const RSS_RUNS = numbers('MIGRATION_BENCH_RSS_RUNS', '3')[0]!;
const PARTS_CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migration-parts-child.js');
const LOGS = path.join(os.tmpdir(), 'nna-bench-migration-logs');


/**
 * CPU time used so far by the emulator's JVM serving `host` (user + system, ms), from /proc: the
 * database's share of a run, beside the client's. Undefined where /proc or ps is unavailable.
 */
function emulatorCpuMs(host: string): number | undefined {
  try {
    const port = host.split(':').at(-1)!;
    const line = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
      .split('\n')
      .find((candidate) => candidate.includes('java') && candidate.includes(`--port=${port}`));
    if (!line) return undefined;
    const fields = readFileSync(`/proc/${line.trim().split(/\s+/)[0]}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch (error) {
    // Not Linux (no /proc or ps): the CPU split is left out of the report, the timings stay.
    console.log(`  no emulator CPU figures: ${(error as Error).message}`);
    return undefined;
  }
}

interface Emulated {
  db: Firestore;
  host: string;
  stop(): Promise<void>;
}

/** A fresh emulator holding `count` legacy assets. */
async function freshEmulator(count: number): Promise<Emulated> {
  const emulator = await startFirestoreEmulator(LOGS);
  process.env['FIRESTORE_EMULATOR_HOST'] = emulator.host;
  const db = new Firestore({ projectId: PROJECT });
  try {
    await seedLegacyAssetCollection(db, 'assets', count);
  } catch (error) {
    await db.terminate();
    await emulator.stop();
    throw error;
  }
  return { db, host: emulator.host, stop: async () => { await db.terminate(); await emulator.stop(); } };
}

async function reseed(emulated: Emulated, count: number): Promise<void> {
  await clearFirestore(emulated.host, PROJECT);
  await seedLegacyAssetCollection(emulated.db, 'assets', count);
}

/** The seed's loop: read everything, then one write per migrated document, one after the other. */
async function seedLoop(db: Firestore): Promise<number> {
  const started = Date.now();
  const all = await db.collection('assets').get();
  for (const document of all.docs) {
    // Migrations take plain documents (domain/plain-document.ts), as apply gives them.
    const data = plainDocumentOf(document.data());
    if (creatorDescriptionMigration.selects(data)) await document.ref.set(storedDocumentOf(creatorDescriptionMigration.up(data), db));
  }
  return Date.now() - started;
}

/** The client's wall time and CPU (user + system, this process) for one piece of work. */
async function clientCpuOf(work: () => Promise<number>): Promise<[number, number]> {
  const cpu = process.cpuUsage();
  const ms = await work();
  const used = process.cpuUsage(cpu);
  return [ms, (used.user + used.system) / 1000];
}

function runTool(host: string, args: string[]): Promise<RunReport & { wallMs: number }> {
  return runMigrateApply(host, PROJECT, creatorDescriptionMigration.id, args);
}

interface Cell {
  batchSize: number;
  concurrency: number;
  floorMs: number;
  applyMs: number;
}

/** Where apply's time goes at the defaults, measured on the cell's emulator after its floor and apply. */
interface Parts {
  readMs: number;
  writesWithBackupsMs: number;
  floorCpuMs: number;
  applyCpuMs: number;
  /** The emulator's CPU during the floor and during apply (undefined off Linux). */
  floorEmulatorCpuMs: number | undefined;
  applyEmulatorCpuMs: number | undefined;
  /** The client's CPU for the reads alone and for the writes with their backups: the work any apply does. */
  readCpuMs: number;
  writesWithBackupsCpuMs: number;
  /** Share of apply during which the CLI's JavaScript thread was busy (its report's mainThreadBusy). */
  applyMainThreadBusy: number | undefined;
  /** The same two parts in a fresh Node process, as the CLI runs: wall and busy time of its one thread. */
  fresh: FreshParts;
}

interface FreshParts {
  read: { ms: number; busyMs: number; cpuMs: number };
  writes: { ms: number; busyMs: number; cpuMs: number };
  /** The emulator's CPU during both parts (undefined off Linux). */
  emulatorCpuMs?: number | undefined;
}

/** The reads alone, then the writes with their backups, in a fresh Node process (scripts/bench/migration-parts-child.ts). */
async function freshParts(host: string, batchSize: number, concurrency: number): Promise<FreshParts> {
  const emulatorCpuBefore = emulatorCpuMs(host);
  const { code, stdout } = await runNode([PARTS_CHILD, PROJECT, String(SIZE), String(batchSize), String(concurrency)], { FIRESTORE_EMULATOR_HOST: host });
  if (code !== 0) throw new Error(`the parts' child exited ${code}: ${stdout.slice(-2000)}`);
  const parts = JSON.parse(stdout.trim().split('\n').at(-1)!) as FreshParts;
  const emulatorCpuAfter = emulatorCpuMs(host);
  if (emulatorCpuBefore !== undefined && emulatorCpuAfter !== undefined) parts.emulatorCpuMs = emulatorCpuAfter - emulatorCpuBefore;
  return parts;
}

async function measureCell(batchSize: number, concurrency: number, floorFirst: boolean, updates: PlannedUpdate[], parts?: Parts[]): Promise<Cell> {
  const emulated = await freshEmulator(SIZE);
  try {
    // The emulator (a JVM) is several times slower on its first large workloads: warm it with two
    // reads of everything and two passes of the updates (one left the floor 10-40% slower than it
    // settles at), so neither measured side pays for it.
    for (let pass = 0; pass < 2; pass++) {
      await emulated.db.collection('assets').get();
      await writeUpdates(emulated.db, updates, batchSize, concurrency);
      await reseed(emulated, SIZE);
    }
    let floorCpuMs = 0;
    let applyCpuMs = 0;
    let applyMainThreadBusy: number | undefined;
    let floorEmulatorCpuMs: number | undefined;
    let applyEmulatorCpuMs: number | undefined;
    const emulatorCpuSince = (start: number | undefined) => {
      const now = emulatorCpuMs(emulated.host);
      return start === undefined || now === undefined ? undefined : now - start;
    };
    const runFloor = async () => {
      const emulatorCpu = emulatorCpuMs(emulated.host);
      const [ms, cpuMs] = await clientCpuOf(() => writeUpdates(emulated.db, updates, batchSize, concurrency));
      floorEmulatorCpuMs = emulatorCpuSince(emulatorCpu);
      floorCpuMs = cpuMs;
      return ms;
    };
    const runApply = async () => {
      const emulatorCpu = emulatorCpuMs(emulated.host);
      const report = await runTool(emulated.host, ['--batch-size', String(batchSize), '--concurrency', String(concurrency)]);
      applyEmulatorCpuMs = emulatorCpuSince(emulatorCpu);
      applyCpuMs = report.cpuMs ?? 0;
      applyMainThreadBusy = report.mainThreadBusy;
      return report.durationMs;
    };
    let floorMs: number;
    let applyMs: number;
    if (floorFirst) {
      floorMs = await runFloor();
      await reseed(emulated, SIZE);
      applyMs = await runApply();
    } else {
      applyMs = await runApply();
      await reseed(emulated, SIZE);
      floorMs = await runFloor();
    }
    console.log(`  batch ${batchSize} x ${concurrency}: floor ${floorMs} ms, apply ${applyMs} ms (${(applyMs / floorMs).toFixed(2)}x)`);
    if (parts) {
      await reseed(emulated, SIZE);
      const [readMs, readCpuMs] = await clientCpuOf(() => readAlone(emulated.db));
      const [writesWithBackupsMs, writesWithBackupsCpuMs] = await clientCpuOf(() => writeUpdates(emulated.db, updates, batchSize, concurrency, true));
      await reseed(emulated, SIZE);
      const fresh = await freshParts(emulated.host, batchSize, concurrency);
      parts.push({ readMs, writesWithBackupsMs, floorCpuMs, applyCpuMs, floorEmulatorCpuMs, applyEmulatorCpuMs, readCpuMs, writesWithBackupsCpuMs, applyMainThreadBusy, fresh });
      console.log(
        `  parts: read alone ${readMs} ms, writes with backups ${writesWithBackupsMs} ms; CPU floor: client ${floorCpuMs.toFixed(0)} ms, emulator ${floorEmulatorCpuMs} ms; ` +
          `apply: client ${applyCpuMs} ms, emulator ${applyEmulatorCpuMs} ms`,
      );
    }
    return { batchSize, concurrency, floorMs, applyMs };
  } finally {
    await emulated.stop();
  }
}

async function oneRun(count: number, args: string[]): Promise<RunReport & { wallMs: number }> {
  const emulated = await freshEmulator(count);
  try {
    return await runTool(emulated.host, args);
  } finally {
    await emulated.stop();
  }
}

const seconds = (ms: number): number => ms / 1000;
const thousands = (count: number): string => count.toLocaleString('en-US');

export async function runMigrationBench(): Promise<BenchResult> {
  const updates = plannedUpdates(SIZE);
  const figures: Figure[] = [];
  const cells: Cell[] = [];
  let index = 0;
  const parts: Parts[] = [];
  for (const batchSize of BATCH_SIZES) {
    for (const concurrency of CONCURRENCIES) {
      const atDefaults = batchSize === DEFAULT_BATCH_SIZE && concurrency === DEFAULT_CONCURRENCY;
      cells.push(await measureCell(batchSize, concurrency, index++ % 2 === 0, updates, atDefaults ? parts : undefined));
    }
  }
  const best = cells.reduce((a, b) => (b.floorMs < a.floorMs ? b : a));
  const bestApply = cells.reduce((a, b) => (b.applyMs < a.applyMs ? b : a));
  const chosen = cells.find((cell) => cell.batchSize === DEFAULT_BATCH_SIZE && cell.concurrency === DEFAULT_CONCURRENCY);
  for (const cell of cells) {
    figures.push({ name: `grid: batch ${cell.batchSize} x ${cell.concurrency} in flight, floor`, value: seconds(cell.floorMs), unit: 's' });
    figures.push({ name: `grid: batch ${cell.batchSize} x ${cell.concurrency} in flight, apply (history backups)`, value: seconds(cell.applyMs), unit: 's', note: `${(cell.applyMs / cell.floorMs).toFixed(2)}x its floor` });
  }
  figures.push({ name: `best floor (batch ${best.batchSize} x ${best.concurrency})`, value: seconds(best.floorMs), unit: 's', note: `${thousands(updates.length)} updates of ${thousands(SIZE)} assets, no reads` });
  figures.push({ name: `best apply of the grid (batch ${bestApply.batchSize} x ${bestApply.concurrency})`, value: seconds(bestApply.applyMs), unit: 's' });
  if (chosen) {
    figures.push({
      name: `apply at the defaults (batch ${DEFAULT_BATCH_SIZE} x ${DEFAULT_CONCURRENCY}, history backups) / best floor`,
      value: chosen.applyMs / best.floorMs,
      unit: 'x',
      goal: { comparison: '<=', target: 1.3 },
    });
  }
  const part = parts[0];
  if (chosen && part) {
    const note = 'the defaults\' cell, its emulator reseeded';
    figures.push({ name: 'part: reads alone (one streamed query, every document decoded)', value: seconds(part.readMs), unit: 's', note: `${(part.readMs / chosen.floorMs).toFixed(2)}x the cell's floor; ${note}` });
    figures.push({ name: 'part: writes with their backups, no reads (floor + history entries)', value: seconds(part.writesWithBackupsMs), unit: 's', note: `${(part.writesWithBackupsMs / chosen.floorMs).toFixed(2)}x the cell's floor: the backups cost ${(((part.writesWithBackupsMs - chosen.floorMs) / chosen.floorMs) * 100).toFixed(0)}%` });
    figures.push({
      name: 'part: apply / (reads alone + writes with backups)',
      value: chosen.applyMs / (part.readMs + part.writesWithBackupsMs),
      unit: 'x',
      note: `1 = no overlap; ${(Math.max(part.readMs, part.writesWithBackupsMs) / (part.readMs + part.writesWithBackupsMs)).toFixed(2)} = perfect overlap (the larger part alone)`,
    });
    if (part.applyMainThreadBusy !== undefined) {
      figures.push({
        name: "part: the CLI's JavaScript thread busy during apply",
        value: part.applyMainThreadBusy,
        unit: 'share',
        note: "Node's event-loop utilization; near 1, apply is bound by that one thread, whatever the batches in flight",
      });
    }
    const freshBusyMs = part.fresh.read.busyMs + part.fresh.writes.busyMs;
    figures.push({
      name: 'part: in a fresh Node process as the CLI runs, reads alone + writes with backups, time its one thread is busy / the cell\'s floor',
      value: freshBusyMs / chosen.floorMs,
      unit: 'x',
      note:
        `${seconds(part.fresh.read.busyMs).toFixed(2)} + ${seconds(part.fresh.writes.busyMs).toFixed(2)} s busy (walls ${seconds(part.fresh.read.ms).toFixed(2)} and ${seconds(part.fresh.writes.ms).toFixed(2)} s): ` +
        'the least a client on one JavaScript thread can take with this client library, before any migration work',
    });
    if (part.fresh.emulatorCpuMs !== undefined) {
      // Even a client spreading its work over every core cannot go below the parts' CPU over the cores.
      const cores = os.availableParallelism();
      const partsCpuMs = part.fresh.read.cpuMs + part.fresh.writes.cpuMs + part.fresh.emulatorCpuMs;
      figures.push({
        name: `part: the same parts' CPU (fresh client + emulator) over ${cores} cores / the cell's floor`,
        value: partsCpuMs / cores / chosen.floorMs,
        unit: 'x',
        note: `${seconds(part.fresh.read.cpuMs + part.fresh.writes.cpuMs).toFixed(2)} s client + ${seconds(part.fresh.emulatorCpuMs).toFixed(2)} s emulator: the least any client of this library can take on this machine, on any number of threads, before any migration work`,
      });
    }
    if (part.applyMainThreadBusy !== undefined) {
      figures.push({
        name: "part: apply's busy thread time / that of the parts in a fresh process",
        value: (part.applyMainThreadBusy * chosen.applyMs) / freshBusyMs,
        unit: 'x',
        note: 'the rest is the migration itself (search terms, comparing, preconditions, the checkpoint)',
      });
    }
    figures.push({
      name: 'part: client CPU, apply / (reads alone + writes with backups)',
      value: part.applyCpuMs / (part.readCpuMs + part.writesWithBackupsCpuMs),
      unit: 'x',
      note: `${seconds(part.applyCpuMs).toFixed(2)} s / (${seconds(part.readCpuMs).toFixed(2)} + ${seconds(part.writesWithBackupsCpuMs).toFixed(2)}) s: the rest is the migration itself (search terms, comparing, encoding the before-images) and the preconditions`,
    });
    figures.push({ name: 'part: client CPU, apply (the CLI) / floor', value: part.applyCpuMs / part.floorCpuMs, unit: 'x', note: `${seconds(part.applyCpuMs).toFixed(2)} s / ${seconds(part.floorCpuMs).toFixed(2)} s: decoding the reads, the migration, the backups` });
    if (part.floorEmulatorCpuMs !== undefined && part.applyEmulatorCpuMs !== undefined) {
      figures.push({ name: 'part: emulator CPU, apply / floor', value: part.applyEmulatorCpuMs / part.floorEmulatorCpuMs, unit: 'x', note: `${seconds(part.applyEmulatorCpuMs).toFixed(2)} s / ${seconds(part.floorEmulatorCpuMs).toFixed(2)} s: the reads and the backups` });
      // Client and emulator share the machine's cores: apply cannot take less than its CPU over the cores.
      const cores = os.availableParallelism();
      figures.push({
        name: `part: apply's CPU (client + emulator) over ${cores} cores / the cell's floor`,
        value: (part.applyCpuMs + part.applyEmulatorCpuMs) / cores / chosen.floorMs,
        unit: 'x',
        note: `apply's lower bound on this machine with every core busy; the floor itself keeps ${((part.floorCpuMs + part.floorEmulatorCpuMs) / cores / chosen.floorMs).toFixed(2)} of them busy`,
      });
    }
  }
  if (!chosen) {
    console.log(`  the defaults (batch ${DEFAULT_BATCH_SIZE} x ${DEFAULT_CONCURRENCY}) are not in the grid: no goal figure`);
  }

  // For information: the seed's loop, and file backups at the defaults (each on a fresh emulator).
  const loopEmulator = await freshEmulator(SIZE);
  let loopMs: number;
  try {
    loopMs = await seedLoop(loopEmulator.db);
  } finally {
    await loopEmulator.stop();
  }
  const fileRun = await oneRun(SIZE, ['--backup', `file:${path.join(os.tmpdir(), `nna-bench-backup-${process.pid}-${Date.now()}.ndjson`)}`]);
  figures.push({ name: `seed loop, ${thousands(SIZE)} assets`, value: seconds(loopMs), unit: 's' });
  if (chosen) figures.push({ name: 'speed-up of apply at the defaults over the seed loop', value: loopMs / chosen.applyMs, unit: 'x', note: 'for information' });
  figures.push({ name: 'apply at the defaults with file backups', value: seconds(fileRun.durationMs), unit: 's', note: chosen ? `${(fileRun.durationMs / best.floorMs).toFixed(2)}x the best floor` : '' });

  // Memory: the CLI's peak RSS, median of several runs per size.
  const rss = new Map<number, number>();
  for (const count of RSS_SIZES) {
    const runs: number[] = [];
    for (let run = 0; run < (count > 30_000 ? 1 : RSS_RUNS); run++) {
      const report = await oneRun(count, []);
      runs.push(report.peakRssBytes! / 2 ** 20);
      console.log(`  ${thousands(count)} assets: apply ${report.durationMs} ms, peak RSS ${runs.at(-1)!.toFixed(0)} MiB`);
    }
    rss.set(count, median(runs));
    figures.push({ name: `peak RSS at ${thousands(count)} assets`, value: median(runs), unit: 'MiB', note: runs.length > 1 ? `median of ${runs.length}: ${runs.map((value) => value.toFixed(0)).join(', ')}` : 'one run' });
  }
  figures.push({ name: 'peak RSS ratio 30,000 / 10,000', value: rss.get(30_000)! / rss.get(10_000)!, unit: 'x', goal: { comparison: '<=', target: 1.1 } });
  for (const count of RSS_SIZES.filter((size) => size > 30_000)) figures.push({ name: `peak RSS ratio ${thousands(count)} / 10,000`, value: rss.get(count)! / rss.get(10_000)!, unit: 'x' });

  return writeResult(
    'migration',
    'migrations',
    `npm run migrate -- apply (node ${migrateNodeFlags().join(' ')}, history backups) on ${thousands(SIZE)} legacy assets against the floor (the same updates as batched writes, no reads), ` +
      `over a grid of batch sizes ${BATCH_SIZES.join('/')} x batches in flight ${CONCURRENCIES.join('/')}, one fresh Firestore emulator per cell (warmed by two passes, then floor and apply alternating in order) and per memory run ` +
      '(the emulator does not free deleted documents). Durations exclude the CLI process start. Peak RSS from the CLI report.',
    figures,
  );
}
