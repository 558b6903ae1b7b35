/**
 * `npm run migrate -- <command> [options]`: the operator's migration tool (list, plan, apply,
 * verify, rollback, status). Exit codes: 0 done, 1 the run failed or found problems (offenders,
 * refused restores, errors), 2 bad input (nothing changed), 3 another run holds the lease.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FirestoreCheckpointStore } from '../functions/adapters/firestore/firestore-checkpoint-store.js';
import { FirestoreMigrationStore } from '../functions/migration/adapters/firestore-migration-store.js';
import { migrationCheckpointLocation } from '../functions/migration/checkpoint.js';
import type { BackupTarget } from '../functions/migration/ports.js';
import { applyMigration, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY } from '../functions/migration/apply-migration.js';
import { findMigration, MIGRATIONS } from '../functions/migration/registry.js';
import { rollbackMigration } from '../functions/migration/rollback-migration.js';
import { verifyMigration } from '../functions/migration/verify-migration.js';
import type { RunReport } from '../functions/migration/progress.js';
import { getConfig } from '../functions/platform/config.js';
import { createLogger } from '../functions/platform/logger.js';
import { createRuntime } from '../functions/runtime.js';
import { createProgram, DEFAULT_OPERATOR, integer, runCommandLine } from './lib/command-line.js';
import { createMigrationOutput } from './lib/migration-output.js';
import { useLocalStackIfRunning } from './lib/migrate-target.js';

/** What the command line gave; each command declares only its own options (COMMAND_OPTIONS). */
interface Options {
  migration: string;
  batchSize: number;
  concurrency: number;
  limit?: number;
  dryRun?: boolean;
  yes?: boolean;
  operator?: string;
  backup?: BackupTarget;
  force?: boolean;
  sample: number;
}

function backupTarget(text: string): BackupTarget {
  if (text === 'history') return { kind: 'history', path: '' };
  if (text.startsWith('file:') && text.length > 5) return { kind: 'file', path: path.resolve(text.slice(5)) };
  throw new InvalidArgumentError('use "history" or "file:<path of an NDJSON file>"');
}

async function execute(command: string, options: Options): Promise<number> {
  // The run's own CPU, without loading the modules (for the benchmark's client/database split).
  const cpuAtStart = process.cpuUsage();
  const loopAtStart = performance.eventLoopUtilization();
  // `list` reads only the registry of migrations in this code: no database, works offline.
  if (command === 'list') {
    for (const migration of MIGRATIONS) process.stdout.write(`${JSON.stringify({ id: migration.id, description: migration.description })}\n`);
    return 0;
  }
  useLocalStackIfRunning(process.env);
  const config = getConfig();
  const output = createMigrationOutput(process.stdout.isTTY === true);
  const operator = options.operator ?? DEFAULT_OPERATOR;
  const migration = findMigration(options.migration);
  // Metrics go to stderr as structured logs; a terminal gets only warnings so the bar stays readable.
  const logger = createLogger(process.stderr.isTTY ? 'WARNING' : config.logLevel, { function: 'migrate', migration: migration.id }, (line) =>
    process.stderr.write(`${line}\n`),
  );
  // The functions' own composition root: the same Firestore client, flags and metrics as the API.
  const runtime = createRuntime(config, logger);
  const db = runtime.firestore();
  const assets = db.collection(config.assetsCollection);
  const checkpoints = new FirestoreCheckpointStore(db, migration.id, operator, migrationCheckpointLocation(migration.id, config.migrationsCollection));
  const store = new FirestoreMigrationStore(db, assets, { migrationId: migration.id, operator, retentionDays: config.dataSafety.historyRetentionDays });
  if (command === 'status') {
    const checkpoint = await checkpoints.read();
    process.stdout.write(`${JSON.stringify(checkpoint ?? { migrationId: migration.id, status: 'never-run' }, null, process.stdout.isTTY ? 2 : undefined)}\n`);
    return 0;
  }
  // `plan` runs apply as a dry run: its events and report carry the name the operator typed.
  const labelled = <T extends object>(event: T): T => ('command' in event && event.command === 'apply' && command !== 'apply' ? { ...event, command } : event);
  const progress: typeof output.progress = (event) => output.progress(labelled(event));
  if (command === 'verify') {
    const report = await verifyMigration(store, migration, options.batchSize, operator, progress);
    output.report(report);
    return report.counts.errors === 0 ? 0 : 1;
  }
  const writesAllowed = await runtime.flags().isEnabled('MIGRATION_WRITES');
  let dryRun = command === 'plan' || options.dryRun === true || options.yes !== true;
  if (!dryRun && !writesAllowed) {
    progress({ event: 'notice', message: 'MIGRATION_WRITES is off: this is a dry run and nothing is written' });
    dryRun = true;
  } else if (dryRun && command !== 'plan') {
    progress({ event: 'notice', message: 'dry run: nothing is written (add --yes to write)' });
  }
  const { metrics, flush } = runtime.metrics();
  // Backups are the history entries of the assets themselves (docs/data-safety.md): one before-image per write.
  const defaultBackup = (): BackupTarget => ({ kind: 'history', path: assets.path });
  const backup = options.backup?.kind === 'history' ? defaultBackup() : options.backup;
  let report: RunReport;
  if (command === 'rollback') {
    report = await rollbackMigration(
      { store, migration, metrics, onProgress: progress, checkpoints },
      { batchSize: options.batchSize, concurrency: options.concurrency, dryRun, force: options.force === true, operator: operator },
    );
  } else {
    report = await applyMigration(
      { store, migration, metrics, onProgress: progress, checkpoints: dryRun ? undefined : checkpoints, defaultBackup },
      {
        batchSize: options.batchSize,
        concurrency: options.concurrency,
        limit: options.limit,
        dryRun,
        operator: operator,
        backup,
        sample: command === 'plan' ? options.sample : 0,
        testDelayMs: config.migrationTestDelayMs,
      },
    );
  }
  await flush();
  const cpu = process.cpuUsage(cpuAtStart);
  output.report(
    labelled({
      ...report,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      mainThreadBusy: Number(performance.eventLoopUtilization(loopAtStart).utilization.toFixed(3)),
    }),
  );
  const problems = report.counts.errors + (report.refused?.length ?? 0);
  return problems === 0 ? 0 : 1;
}

const program = createProgram('migrate', 'Versioned, resumable migrations of the assets collection, with backups, verify and rollback.');

/** Every option once; each command takes only the ones that mean something to it (see COMMAND_OPTIONS). */
const OPTIONS: Record<string, () => Option> = {
  migration: () => new Option('-m, --migration <id>', 'migration id (see `list`)').makeOptionMandatory(),
  batchSize: () => new Option('--batch-size <n>', 'documents per batch (1-500)').argParser(integer('--batch-size', 1, 500)).default(DEFAULT_BATCH_SIZE),
  concurrency: () => new Option('--concurrency <n>', 'batches in flight (1-32)').argParser(integer('--concurrency', 1, 32)).default(DEFAULT_CONCURRENCY),
  limit: () =>
    new Option('--limit <n>', 'scan at most this many documents in this run; a later apply resumes').argParser(integer('--limit', 1, Number.MAX_SAFE_INTEGER)),
  dryRun: () => new Option('--dry-run', 'write nothing (the default until --yes)'),
  yes: () => new Option('--yes', 'really write'),
  operator: () => new Option('--operator <name>', 'who runs this (recorded in the checkpoint)').default(DEFAULT_OPERATOR),
  backup: () =>
    new Option(
      '--backup <target>',
      'where originals are saved: "history" (the default: each asset\'s history entry migration-<id>) or "file:<path>" (NDJSON)',
    ).argParser(backupTarget),
  force: () => new Option('--force', 'restore documents changed since the migration too'),
  sample: () => new Option('--sample <n>', 'example changes to show').argParser(integer('--sample', 0, 100)).default(5),
};

const COMMAND_OPTIONS: Record<string, (keyof typeof OPTIONS)[]> = {
  list: [],
  plan: ['migration', 'batchSize', 'concurrency', 'limit', 'sample'],
  apply: ['migration', 'batchSize', 'concurrency', 'limit', 'dryRun', 'yes', 'operator', 'backup'],
  verify: ['migration', 'batchSize', 'operator'],
  rollback: ['migration', 'batchSize', 'concurrency', 'dryRun', 'yes', 'operator', 'force'],
  status: ['migration'],
};

function withOptions(command: Command, name: string): Command {
  for (const option of COMMAND_OPTIONS[name] ?? []) command.addOption(OPTIONS[option]!());
  return command;
}

const descriptions: Record<string, string> = {
  list: 'list the migrations',
  plan: 'count what apply would change and show examples (writes nothing)',
  apply: 'migrate the documents that need it (dry run unless --yes); resumes an interrupted run',
  verify: 'check every document against the post-migration schema; exit 1 listing offenders',
  rollback: 'restore the backed-up originals of the last apply (dry run unless --yes)',
  status: 'print the checkpoint: status, cursor, counts, operator, times, lease',
};
for (const [name, description] of Object.entries(descriptions)) {
  withOptions(program.command(name).description(description), name).action(async (options: Options) => {
    process.exitCode = await execute(name, options);
  });
}
program.addHelpText(
  'after',
  `
Examples:
  npm run migrate -- list
  npm run migrate -- plan --migration 2025-06-creator-description
  npm run migrate -- apply --migration 2025-06-creator-description --yes
  npm run migrate -- verify --migration 2025-06-creator-description
  npm run migrate -- rollback --migration 2025-06-creator-description --yes
Feature flag FLAG_MIGRATION_WRITES=false makes every command a dry run.`,
);

await runCommandLine(program);
