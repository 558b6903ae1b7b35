/**
 * `rollback`: restores every document this migration's latest apply backed up, exactly as it was
 * stored (same fields, same types, Timestamps included), removing what the migration added. A
 * document is restored only while it still holds what the migration wrote; one changed since (or
 * deleted) is refused and reported unless the operator forces it. Writes carry a precondition on the
 * updateTime just read, so a write racing the rollback is never overwritten either.
 */
import { NotFoundError } from '../domain/errors.js';
import { samePlainValue } from '../domain/plain-document.js';
import type { CheckpointStore } from '../domain/ports/checkpoint-store.js';
import type { Metrics } from '../domain/ports/metrics.js';
import { zeroCounts, type Checkpoint, type Counts } from './checkpoint.js';
import { finalizeDocument } from './finalize-document.js';
import { changedFields, type Migration, type PlainDocument } from './migration.js';
import type { BackupEntry, DocumentWrite, MigrationStore, StoredDocument } from './ports.js';
import type { ProgressListener, RunReport } from './progress.js';

const ATTEMPTS = 10;
const MAX_REPORTED = 100;

export interface RollbackOptions {
  batchSize: number;
  concurrency: number;
  dryRun: boolean;
  force: boolean;
  operator: string;
}

export interface RollbackDependencies {
  store: MigrationStore;
  migration: Migration;
  metrics: Metrics;
  onProgress: ProgressListener;
  checkpoints: CheckpointStore<Checkpoint>;
}

type Decision = { kind: 'unchanged' } | { kind: 'write'; write: DocumentWrite } | { kind: 'refuse'; reason: string };

/**
 * The document as it was before the migration. A backup of the changed fields only (a document past
 * the history cap) is completed from what is stored now: the migration changed nothing else.
 */
function originalOf(entry: BackupEntry, current: PlainDocument | undefined): PlainDocument | undefined {
  if (entry.scope === 'document') return entry.data;
  if (current === undefined) return undefined;
  const original: PlainDocument = { ...current };
  for (const field of entry.changedFields) {
    if (field in entry.data) original[field] = entry.data[field];
    else delete original[field];
  }
  return original;
}

function decide(entry: BackupEntry, stored: StoredDocument, migration: Migration, force: boolean): Decision {
  const current = stored.data;
  const original = originalOf(entry, current);
  if (original === undefined)
    return { kind: 'refuse', reason: 'deleted since the migration (its backup holds only the changed fields: it cannot be recreated)' };
  if (current !== undefined && samePlainValue(current, original)) return { kind: 'unchanged' };
  if (current !== undefined && samePlainValue(current, finalizeDocument(migration.up(original)))) {
    return { kind: 'write', write: { id: entry.id, version: stored.version, before: current, after: original, changed: changedFields(current, original) } };
  }
  // Forced: the original written whole, whatever is stored now.
  if (force) return { kind: 'write', write: { id: entry.id, before: current ?? {}, after: original, changed: Object.keys(original) } };
  return {
    kind: 'refuse',
    reason: current === undefined ? 'deleted since the migration' : 'changed since the migration wrote it (use --force to restore anyway)',
  };
}

export async function rollbackMigration(deps: RollbackDependencies, options: RollbackOptions): Promise<RunReport> {
  const { store, migration } = deps;
  const began = Date.now();
  const startedAt = new Date(began).toISOString();
  const previous = await deps.checkpoints.read();
  if (!previous) throw new NotFoundError(`Migration ${migration.id} has never been applied: there is nothing to roll back`);
  const start = (before: Checkpoint | undefined): Checkpoint => ({
    ...(before ?? previous),
    command: 'rollback',
    status: 'running',
    cursor: null,
    counts: zeroCounts(),
    errors: [],
    operator: options.operator,
    startedAt,
    finishedAt: null,
  });
  let checkpoint = options.dryRun ? start(previous) : await deps.checkpoints.acquire(start);
  const backups = store.openBackups(checkpoint.backup, checkpoint.generation);
  const counts: Counts = zeroCounts();
  const refused: NonNullable<RunReport['refused']> = [];
  deps.onProgress({ event: 'start', command: 'rollback', migration: migration.id, dryRun: options.dryRun, total: 0, resumedFrom: null });

  async function restorePage(entries: BackupEntry[]): Promise<void> {
    const pageCounts = zeroCounts();
    pageCounts.scanned = entries.length;
    let pending = entries;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const stored = await store.read(pending.map((entry) => entry.id));
      const writes: DocumentWrite[] = [];
      const written: BackupEntry[] = [];
      stored.forEach((document, index) => {
        const entry = pending[index]!;
        const decision = decide(entry, document, migration, options.force);
        if (decision.kind === 'unchanged') pageCounts.skipped++;
        else if (decision.kind === 'refuse') {
          pageCounts.conflicts++;
          if (refused.length < MAX_REPORTED) refused.push({ id: entry.id, reason: decision.reason });
        } else {
          written.push(entry);
          writes.push(decision.write);
        }
      });
      if (options.dryRun || written.length === 0) {
        pageCounts.migrated += written.length;
        break;
      }
      if (await store.commit(writes)) {
        pageCounts.migrated += written.length;
        break;
      }
      // A write raced this rollback: decide again on what is stored now.
      if (attempt >= ATTEMPTS) throw new Error(`Documents kept changing under ${ATTEMPTS} attempts to restore them; run rollback again`);
      pending = written;
    }
    counts.scanned += pageCounts.scanned;
    counts.migrated += pageCounts.migrated;
    counts.skipped += pageCounts.skipped;
    counts.conflicts += pageCounts.conflicts;
    deps.metrics.count('migration_documents', { migration: migration.id, outcome: 'restored' }, pageCounts.migrated);
    deps.onProgress({ event: 'batch', batch: ++batches, size: entries.length, counts: { ...counts } });
  }

  let batches = 0;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  try {
    for await (const page of backups.pages(options.batchSize)) {
      if (failure !== undefined) break;
      const task = restorePage(page).catch((error: unknown) => {
        failure ??= error;
      });
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
      if (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    }
  } catch (error) {
    failure ??= error;
  }
  await Promise.all(inFlight);
  await backups.close();
  const finishedAt = new Date().toISOString();
  const status = failure !== undefined ? 'failed' : counts.conflicts > 0 ? 'rollback-incomplete' : 'rolled-back';
  checkpoint = { ...checkpoint, status, counts, finishedAt, errors: refused.slice(0, 50).map((entry) => ({ id: entry.id, message: entry.reason })) };
  if (!options.dryRun) await deps.checkpoints.save(checkpoint, true);
  if (failure !== undefined) throw failure;
  const durationMs = Date.now() - began;
  return {
    command: 'rollback',
    migration: migration.id,
    dryRun: options.dryRun,
    status: options.dryRun ? 'dry-run' : status,
    counts,
    durationMs,
    documentsPerSecond: durationMs > 0 ? (counts.scanned * 1000) / durationMs : 0,
    errors: [],
    cursor: null,
    operator: options.operator,
    startedAt,
    finishedAt,
    refused,
  };
}
