/**
 * The assets commands of `npm run import`: `plan`, `apply`, `verify` and `status` (docs/cutover.md).
 * The source is checked (the file opens, the old backend accepts the credentials) before anything
 * is written, so a bad one exits 2 with nothing changed.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { FirestoreCheckpointStore } from '../../functions/adapters/firestore/firestore-checkpoint-store.js';
import type { CheckpointStore } from '../../functions/domain/ports/checkpoint-store.js';
import { FirestoreImportTarget } from '../../functions/cutover/adapters/firestore-import-target.js';
import { LegacyApiSource } from '../../functions/cutover/adapters/legacy-api-source.js';
import { MongoexportFileSource } from '../../functions/cutover/adapters/mongoexport-file-source.js';
import { IMPORTS_COLLECTION } from '../../functions/adapters/firestore/stored-names.js';
import { importCheckpointSchema, type ImportCheckpoint } from '../../functions/cutover/import-checkpoint.js';
import { DEFAULT_IMPORT_BATCH_SIZE, DEFAULT_READ_AHEAD, importAssets } from '../../functions/cutover/import-assets.js';
import type { LegacyAssetSource } from '../../functions/cutover/ports.js';
import { LegacySourceError } from '../../functions/cutover/source-error.js';
import { verifyImport } from '../../functions/cutover/verify-import.js';
import { WritePacer, type WriteRate } from '../../functions/cutover/write-pacer.js';
import { taxonomy } from '../../functions/domain/taxonomy/taxonomy.js';
import type { Firestore } from '@google-cloud/firestore';
import { DEFAULT_OPERATOR, integer, UsageError } from '../lib/command-line.js';
import { inputPath, openImportEnvironment, processFigures } from './import-environment.js';
import { createImportOutput } from './import-output.js';

interface AssetOptions {
  from: string;
  token?: string;
  email?: string;
  password?: string;
  pageSize: number;
  batchSize: number;
  since?: string;
  yes?: boolean;
  dryRun?: boolean;
  maxWritesPerSecond?: WriteRate;
  operator: string;
}

const DEFAULT_PAGE_SIZE = 100;

function isoInstant(text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) || Number.isNaN(Date.parse(text))) {
    throw new InvalidArgumentError("--since must be an ISO date or instant, e.g. the previous report's highWaterMark 2025-07-13T16:17:35.541Z");
  }
  return text;
}

function writeRate(text: string): WriteRate {
  if (text === 'unlimited') return { kind: 'unlimited' };
  return { kind: 'fixed', perSecond: integer('--max-writes-per-second', 1, 1_000_000)(text) };
}

const OPTIONS: Record<string, () => Option> = {
  from: () => new Option('--from <source>', "a mongoexport file (NDJSON or --jsonArray), or the old backend's API (https://<host>/api)").makeOptionMandatory(),
  token: () => new Option('--token <bearer>', "the old backend's bearer token (API sources)"),
  email: () => new Option('--email <email>', 'sign in to the old backend with this account (API sources, with --password)'),
  password: () => new Option('--password <password>', 'the password of --email'),
  pageSize: () => new Option('--page-size <n>', 'assets per page of the API (1-1000)').argParser(integer('--page-size', 1, 1000)).default(DEFAULT_PAGE_SIZE),
  batchSize: () => new Option('--batch-size <n>', 'assets per commit (1-200)').argParser(integer('--batch-size', 1, 200)).default(DEFAULT_IMPORT_BATCH_SIZE),
  since: () => new Option('--since <iso>', "only assets updated at or after this instant (the previous report's highWaterMark)").argParser(isoInstant),
  yes: () => new Option('--yes', 'really write'),
  dryRun: () => new Option('--dry-run', 'write nothing (the default until --yes)'),
  maxWritesPerSecond: () =>
    new Option(
      '--max-writes-per-second <n>',
      'a fixed write rate, or "unlimited"; default: Firestore\'s ramp for a new collection (500/s, +50% every 5 minutes)',
    ).argParser(writeRate),
  operator: () => new Option('--operator <name>', 'who runs this (recorded in the checkpoint and the history entries)').default(DEFAULT_OPERATOR),
};

const SOURCE_OPTIONS = ['from', 'token', 'email', 'password', 'pageSize'];
const COMMANDS: Record<string, { description: string; options: string[] }> = {
  plan: { description: 'read the whole source, write nothing: counts, anomalies with examples, conflicts', options: [...SOURCE_OPTIONS, 'batchSize', 'since'] },
  apply: {
    description: 'import the source (dry run unless --yes); a rerun writes only what changed; --since imports what changed since',
    options: [...SOURCE_OPTIONS, 'batchSize', 'since', 'yes', 'dryRun', 'maxWritesPerSecond', 'operator'],
  },
  verify: {
    description: 'every source asset present and equal on its fields; imported assets the source no longer has; exit 1 naming each',
    options: [...SOURCE_OPTIONS, 'batchSize'],
  },
  status: { description: "print the import's checkpoint: the last run, its counts, high-water mark and lease", options: [] },
};

function sourceOf(options: AssetOptions): LegacyAssetSource {
  if (/^https?:\/\//i.test(options.from)) {
    return new LegacyApiSource({ baseUrl: options.from, token: options.token, email: options.email, password: options.password, pageSize: options.pageSize });
  }
  if (options.token || options.email || options.password)
    throw new UsageError('--token, --email and --password are for an API source (--from https://<host>/api)');
  return new MongoexportFileSource(inputPath(options.from));
}

/** The source, opened: a source that cannot be read stops the command before it writes anything (exit 2). */
async function openedSource(options: AssetOptions): Promise<LegacyAssetSource> {
  try {
    const source = sourceOf(options);
    await source.open();
    return source;
  } catch (error) {
    if (error instanceof LegacySourceError) throw new UsageError(error.message);
    throw error;
  }
}

function importCheckpoints(db: Firestore, assetsCollection: string, operator: string, deadlineMs: number): CheckpointStore<ImportCheckpoint> {
  return new FirestoreCheckpointStore<ImportCheckpoint>(
    db,
    assetsCollection,
    operator,
    { collection: IMPORTS_COLLECTION, schema: importCheckpointSchema, label: `The import into ${assetsCollection}` },
    deadlineMs,
  );
}

async function execute(command: string, options: AssetOptions): Promise<number> {
  const cpuAtStart = process.cpuUsage();
  const { config, db, historyRecorder } = openImportEnvironment();
  const onTerminal = process.stdout.isTTY === true;
  if (command === 'status') {
    const checkpoint = await importCheckpoints(db, config.assetsCollection, DEFAULT_OPERATOR, config.firestoreDeadlineMs).read();
    process.stdout.write(`${JSON.stringify(checkpoint ?? { status: 'never-run' }, null, onTerminal ? 2 : undefined)}\n`);
    return 0;
  }
  const output = createImportOutput(onTerminal);
  const source = await openedSource(options);
  const target = new FirestoreImportTarget(
    db,
    config.assetsCollection,
    { writer: 'import', actor: options.operator ?? DEFAULT_OPERATOR },
    historyRecorder,
    config.firestoreDeadlineMs,
  );
  if (command === 'verify') {
    const report = await verifyImport({ source, target, taxonomy, onProgress: output.progress }, options.batchSize);
    output.report(report);
    return report.status === 'equal' ? 0 : 1;
  }
  const dryRun = command === 'plan' || options.dryRun === true || options.yes !== true;
  if (dryRun && command !== 'plan') output.progress({ event: 'notice', message: 'dry run: nothing is written (add --yes to write)' });
  const rate = options.maxWritesPerSecond ?? { kind: 'ramp' };
  const report = await importAssets(
    {
      source,
      target,
      taxonomy,
      pacer: new WritePacer(rate),
      onProgress: output.progress,
      checkpoints: dryRun ? undefined : importCheckpoints(db, config.assetsCollection, options.operator, config.firestoreDeadlineMs),
    },
    {
      command: command === 'plan' ? 'plan' : 'apply',
      dryRun,
      since: options.since,
      batchSize: options.batchSize,
      readAhead: DEFAULT_READ_AHEAD,
      operator: options.operator ?? DEFAULT_OPERATOR,
    },
  );
  output.report({ ...report, ...processFigures(cpuAtStart) });
  return report.status !== 'failed' && report.counts.failed === 0 ? 0 : 1;
}

/** Adds plan, apply, verify and status to the `import` program. */
export function registerAssetCommands(program: Command): void {
  for (const [name, { description, options }] of Object.entries(COMMANDS)) {
    const command = program.command(name).description(description);
    for (const option of options) command.addOption(OPTIONS[option]!());
    command.action(async (given: AssetOptions) => {
      process.exitCode = await execute(name, given);
    });
  }
}
