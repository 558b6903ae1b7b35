/**
 * `apply`: streams the collection in document-id order, cut into batches, several batches in
 * flight. Each batch saves the originals and writes the migrated documents with a precondition on
 * the updateTime they were read at, so a concurrent write (the API) is never overwritten: the batch
 * re-reads the changed documents and migrates them again. The checkpoint cursor only moves past a
 * batch once it and every batch before it are committed, so a run killed at any moment resumes
 * without skipping anything; re-processing a committed batch is harmless because migrated documents
 * are no longer selected.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ValidationError } from '../domain/errors.js';
import type { CheckpointStore } from '../domain/ports/checkpoint-store.js';
import type { Metrics } from '../domain/ports/metrics.js';
import { CheckpointWriter } from '../platform/checkpoint-writer.js';
import { addCounts, MAX_RECORDED_ERRORS, zeroCounts, type Checkpoint, type Counts } from './checkpoint.js';
import { finalizeDocument } from './finalize-document.js';
import { changedFields, type Migration } from './migration.js';
import type { BackupTarget, DocumentWrite, MigrationStore, StoredDocument } from './ports.js';
import type { ProgressListener, RunReport } from './progress.js';

/*
 * Defaults chosen from the grid in scripts/bench/migration.bench.ts (batch size x batches in
 * flight, history backups, 10,000 legacy assets on the emulator; see bench/REPORT.md).
 */
export const DEFAULT_BATCH_SIZE = 250;
export const DEFAULT_CONCURRENCY = 8;
/** A document changing under every attempt is left for the next run rather than retried forever. */
const CONFLICT_ATTEMPTS = 10;
const UNSAVED_MESSAGE =
  'too large to back up in its history entry (its changed fields alone pass the before-image cap); not migrated: run apply with --backup file:<path>';

export interface ApplyOptions {
  batchSize: number;
  concurrency: number;
  /** Documents scanned by this run at most (undefined: all). */
  limit: number | undefined;
  dryRun: boolean;
  operator: string;
  backup: BackupTarget | undefined;
  /** plan: how many example changes to report. */
  sample: number;
  /** Test-only pause before each commit (refused outside local/test by the configuration). */
  testDelayMs: number;
}

export interface ApplyDependencies {
  store: MigrationStore;
  migration: Migration;
  metrics: Metrics;
  onProgress: ProgressListener;
  /** Absent on dry runs, which write nothing at all (not even a checkpoint). */
  checkpoints: CheckpointStore<Checkpoint> | undefined;
  defaultBackup: (migrationId: string) => BackupTarget;
}

/** A document to write: what was read (its id and version) and the write. */
interface Planned {
  document: StoredDocument;
  write: DocumentWrite;
}

interface PageResult {
  counts: Counts;
  errors: { id: string; message: string }[];
}

function startCheckpoint(
  previous: Checkpoint | undefined,
  migrationId: string,
  options: ApplyOptions,
  backup: BackupTarget | undefined,
  defaultBackup: BackupTarget,
): Checkpoint {
  const now = new Date().toISOString();
  const resumable = previous && previous.command === 'apply' && ['running', 'stopped', 'failed'].includes(previous.status);
  if (previous && previous.command === 'rollback' && previous.status !== 'rolled-back' && previous.status !== 'rollback-incomplete') {
    throw new ValidationError([{ path: 'rollback', issue: `a rollback of ${migrationId} is unfinished (${previous.status}); run rollback again first` }]);
  }
  if (resumable) {
    if (backup && (backup.kind !== previous.backup.kind || backup.path !== previous.backup.path)) {
      throw new ValidationError([
        { path: 'backup', issue: `this run resumes a migration backed up to ${previous.backup.kind} ${previous.backup.path}; keep that target` },
      ]);
    }
    return { ...previous, status: 'running', operator: options.operator, finishedAt: null, runs: previous.runs + 1, batchSize: options.batchSize };
  }
  return {
    migrationId,
    command: 'apply',
    status: 'running',
    generation: now,
    cursor: null,
    counts: zeroCounts(),
    errors: [],
    operator: options.operator,
    startedAt: now,
    updatedAt: now,
    finishedAt: null,
    batchSize: options.batchSize,
    backup: backup ?? defaultBackup,
    runs: 1,
    lease: null,
  };
}

export async function applyMigration(deps: ApplyDependencies, options: ApplyOptions): Promise<RunReport> {
  const { migration, store } = deps;
  const began = Date.now();
  const startedAt = new Date(began).toISOString();
  const defaultBackup = deps.defaultBackup(migration.id);
  let checkpoint: Checkpoint =
    deps.checkpoints === undefined
      ? startCheckpoint(undefined, migration.id, options, options.backup, defaultBackup)
      : await deps.checkpoints.acquire((previous) => startCheckpoint(previous, migration.id, options, options.backup, defaultBackup));
  const writer = deps.checkpoints ? new CheckpointWriter(deps.checkpoints) : undefined;
  const backups = options.dryRun ? undefined : store.openBackups(checkpoint.backup, checkpoint.generation);
  const sample: NonNullable<RunReport['sample']> = [];
  const countsAtStart = { ...checkpoint.counts };
  const shown = { ...checkpoint.counts };
  // The total is for progress only: it is counted beside the first reads rather than before them (on
  // the emulator a count scans the collection). `start` is still the first event: it waits for it.
  const counting = store.count();
  let announced: Promise<void> | undefined;
  const announce = (): Promise<void> =>
    (announced ??= counting.then((result) => {
      deps.onProgress({
        event: 'start',
        command: 'apply',
        migration: migration.id,
        dryRun: options.dryRun,
        total: result,
        resumedFrom: checkpoint.cursor,
      });
    }));
  // A failed count is rethrown where `announce` is awaited; this only keeps it from being reported as unhandled before then.
  counting.catch(() => undefined);

  /**
   * Writes `planned` in commits, until one is refused (a document changed since it was read):
   * `refused` are the documents of that commit and of those after it, `unsaved` the documents whose
   * original could not be backed up (not written: rollback could not restore them).
   */
  async function commit(planned: Planned[]): Promise<{ committed: number; refused: Planned[]; unsaved: Planned[] }> {
    // Preconditions are per document but a commit is atomic: a refused commit writes nothing.
    const perCommit = backups!.documentsPerCommit;
    let committed = 0;
    const unsaved: Planned[] = [];
    for (let start = 0; start < planned.length; start += perCommit) {
      const chunk = planned.slice(start, start + perCommit);
      if (options.testDelayMs > 0) await sleep(options.testDelayMs);
      const outcome = await backups!.commit(chunk.map((entry) => entry.write));
      const notSaved = new Set(outcome.unsaved);
      const writes = chunk.filter((entry) => !notSaved.has(entry.document.id));
      unsaved.push(...chunk.filter((entry) => notSaved.has(entry.document.id)));
      if (outcome.conflict) return { committed, refused: [...writes, ...planned.slice(start + perCommit)], unsaved };
      committed += writes.length;
    }
    return { committed, refused: [], unsaved };
  }

  async function migratePage(documents: StoredDocument[]): Promise<PageResult> {
    const counts = zeroCounts();
    const errors: PageResult['errors'] = [];
    counts.scanned = documents.length;
    let current = documents;
    for (let attempt = 1; current.length > 0; attempt++) {
      const planned: Planned[] = [];
      for (const document of current) {
        const before = document.data;
        if (before === undefined || !migration.selects(before)) {
          counts.skipped++;
          continue;
        }
        try {
          const after = finalizeDocument(migration.up(before));
          const changed = changedFields(before, after);
          if (changed.length === 0) counts.skipped++;
          else planned.push({ document, write: { id: document.id, version: document.version, before, after, changed } });
        } catch (error) {
          counts.errors++;
          errors.push({ id: document.id, message: (error as Error).message });
        }
      }
      if (options.dryRun) {
        counts.migrated += planned.length;
        for (const entry of planned.slice(0, options.sample - sample.length)) sample.push(describeChange(entry));
        return { counts, errors };
      }
      const { committed, refused, unsaved } = await commit(planned);
      counts.migrated += committed;
      counts.errors += unsaved.length;
      for (const entry of unsaved) errors.push({ id: entry.document.id, message: UNSAVED_MESSAGE });
      if (refused.length === 0) break;
      if (attempt >= CONFLICT_ATTEMPTS) {
        counts.errors += refused.length;
        for (const entry of refused) errors.push({ id: entry.document.id, message: `changed under ${CONFLICT_ATTEMPTS} attempts; left for the next run` });
        break;
      }
      // Some document of the refused commit changed since it was read: read them again.
      const fresh = await store.read(refused.map((entry) => entry.document.id));
      counts.conflicts += fresh.filter((document, index) => document.data === undefined || document.version !== refused[index]!.document.version).length;
      current = fresh;
    }
    return { counts, errors };
  }

  // Batches finish out of order; the cursor advances over the committed prefix only.
  const finished = new Map<number, { lastId: string; result: PageResult }>();
  let nextToFold = 0;
  let batchesDone = 0;
  function pageDone(index: number, lastId: string, result: PageResult): void {
    batchesDone++;
    addCounts(shown, result.counts);
    deps.metrics.count('migration_documents', { migration: migration.id, outcome: 'migrated' }, result.counts.migrated);
    deps.metrics.count('migration_documents', { migration: migration.id, outcome: 'skipped' }, result.counts.skipped);
    if (result.counts.conflicts > 0) deps.metrics.count('migration_documents', { migration: migration.id, outcome: 'conflict' }, result.counts.conflicts);
    if (result.counts.errors > 0) deps.metrics.count('migration_documents', { migration: migration.id, outcome: 'error' }, result.counts.errors);
    finished.set(index, { lastId, result });
    for (let entry = finished.get(nextToFold); entry; entry = finished.get(nextToFold)) {
      finished.delete(nextToFold++);
      addCounts(checkpoint.counts, entry.result.counts);
      checkpoint.errors = [...checkpoint.errors, ...entry.result.errors].slice(0, MAX_RECORDED_ERRORS);
      checkpoint.cursor = entry.lastId;
    }
    writer?.request({ ...checkpoint, counts: { ...checkpoint.counts } });
    deps.onProgress({ event: 'batch', batch: batchesDone, size: result.counts.scanned, counts: { ...shown } });
  }

  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let lastReadId = checkpoint.cursor;
  const lastRead = () => lastReadId;
  let exhausted = false;
  try {
    let index = 0;
    for await (const docs of store.stream(checkpoint.cursor, options.batchSize, options.limit)) {
      await announce();
      const lastId = docs.at(-1)!.id;
      lastReadId = lastId;
      const pageIndex = index++;
      deps.onProgress({ event: 'read', batch: pageIndex + 1, firstId: docs[0]!.id, lastId });
      const task = migratePage(docs).then(
        (result) => pageDone(pageIndex, lastId, result),
        (error: unknown) => {
          failure ??= error;
        },
      );
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
      if (inFlight.size >= options.concurrency) await Promise.race(inFlight);
      if (failure !== undefined) break;
    }
    await announce();
    // With a limit the stream also ends early; only a run that saw the end of the collection is complete.
    exhausted = failure === undefined && (options.limit === undefined || (await store.page(lastRead(), 1)).length === 0);
  } catch (error) {
    failure ??= error;
  }
  await Promise.all(inFlight);
  await backups?.close();
  const finishedAt = new Date().toISOString();
  const status = failure !== undefined ? 'failed' : exhausted ? 'completed' : 'stopped';
  checkpoint = { ...checkpoint, status, finishedAt: status === 'stopped' ? null : finishedAt };
  if (writer) {
    try {
      await writer.close(checkpoint);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
  const durationMs = Date.now() - began;
  const runCounts = { ...checkpoint.counts };
  const processed = runCounts.scanned - countsAtStart.scanned;
  return {
    command: 'apply',
    migration: migration.id,
    dryRun: options.dryRun,
    status: options.dryRun ? 'dry-run' : status,
    counts: runCounts,
    durationMs,
    documentsPerSecond: durationMs > 0 ? (processed * 1000) / durationMs : 0,
    errors: checkpoint.errors,
    cursor: checkpoint.cursor,
    operator: options.operator,
    startedAt,
    finishedAt,
    ...(options.sample > 0 ? { sample } : {}),
  };
}

/** The changed fields' values before and after, as plain JSON (timestamps as `{ $ts }`). */
function describeChange(entry: Planned): NonNullable<RunReport['sample']>[number] {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  const { before, after, changed } = entry.write;
  for (const key of changed) changes[key] = { before: before[key] ?? null, after: after[key] ?? null };
  return { id: entry.document.id, changes };
}
