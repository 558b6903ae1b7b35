/**
 * `plan` and `apply`: streams the source, cut into batches; each batch's target documents are read
 * by id (several batches ahead, never by a query), compared with what would be written, and the
 * changed ones written in one atomic commit with their history entries and the counter bumps of
 * their taxonomy paths, one commit at a time, paced. A rerun over an unchanged source therefore
 * writes nothing, and a run killed at any point leaves whole assets only: the next run reads again
 * and writes what is missing. Name conflicts are checked against one pass over the target's names
 * at the start, kept up to date as the run writes: O(N) in all.
 */
import type { Taxonomy } from '../domain/taxonomy/taxonomy.js';
import type { CheckpointStore } from '../domain/ports/checkpoint-store.js';
import { CheckpointWriter } from '../platform/checkpoint-writer.js';
import { finalCheckpoint, progressedCheckpoint, startingCheckpoint, type ImportCheckpoint } from './import-checkpoint.js';
import { contentionFailures, counterBumpsOf, decideBatch, refusalFailure, unknownCounterKeys, type Candidate } from './import-decision.js';
import { ImportLedger } from './import-ledger.js';
import type { ImportListener, ImportReport } from './import-report.js';
import { operationsOf, type Counter, type ImportTarget, type LegacyAssetSource, type TargetDocument } from './ports.js';
import { LegacySourceError } from './source-error.js';
import { loadTargetNames } from './target-names.js';
import type { WritePacer } from './write-pacer.js';

export const DEFAULT_IMPORT_BATCH_SIZE = 100;
export const DEFAULT_READ_AHEAD = 4;
/** A batch whose documents keep changing under it is given up after this many attempts (reported, left for the next run). */
const COMMIT_ATTEMPTS = 10;

export interface ImportOptions {
  command: 'plan' | 'apply';
  dryRun: boolean;
  /** Only source assets updated at or after this instant (ISO) are considered; the rest are skipped. */
  since: string | undefined;
  batchSize: number;
  /** Batches whose target documents are read ahead of the one being written. */
  readAhead: number;
  operator: string;
}

export interface ImportDependencies {
  source: LegacyAssetSource;
  target: ImportTarget;
  taxonomy: Taxonomy;
  pacer: WritePacer;
  onProgress: ImportListener;
  /** Absent on dry runs, which write nothing at all (not even a checkpoint). */
  checkpoints: CheckpointStore<ImportCheckpoint> | undefined;
}

/** Why a run stopped, for its report: the error's own message (a stopped run is resumed by running it again). */
function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** One run: reads the source in batches, asks import-decision.ts what each batch writes, commits it and records it in the ledger. */
class ImportRunner {
  /** Counters as this run last read or wrote them. */
  private readonly counters = new Map<string, Counter>();
  /** Batches read ahead (their target documents fetched) while the one at the head is written. */
  private readonly queue: Array<{ batch: Candidate[]; states: Promise<TargetDocument[]> }> = [];
  private documentsWritten = 0;
  private batches = 0;

  constructor(
    private readonly deps: ImportDependencies,
    private readonly options: ImportOptions,
    private readonly ledger: ImportLedger,
    private checkpoint: ImportCheckpoint | undefined,
    private readonly writer: CheckpointWriter<ImportCheckpoint> | undefined,
  ) {}

  get written(): number {
    return this.documentsWritten;
  }

  /** Reads the whole source; returns why it stopped early, if it did. */
  async run(): Promise<unknown> {
    let failure: unknown;
    try {
      let batch: Candidate[] = [];
      let ids = new Set<string>();
      const flush = async (): Promise<void> => {
        if (batch.length > 0) await this.enqueue(batch);
        batch = [];
        ids = new Set();
      };
      try {
        for await (const record of this.deps.source.records()) {
          const candidate = this.ledger.admit(record);
          if (!candidate) continue;
          // The same asset twice in one commit cannot be written: the second goes to the next batch.
          if (ids.has(candidate.prepared.id)) await flush();
          batch.push(candidate);
          ids.add(candidate.prepared.id);
          if (batch.length >= this.options.batchSize) await flush();
        }
      } catch (error) {
        // The source stopped part-way (a page too large, paging that does not end): what was read is
        // still written, and the run ends failed, so that no high-water mark claims the unread part.
        if (!(error instanceof LegacySourceError)) throw error;
        failure = error;
      }
      await flush();
      while (this.queue.length > 0) await this.processHead();
    } catch (error) {
      failure ??= error;
    }
    return failure;
  }

  private async enqueue(batch: Candidate[]): Promise<void> {
    const states = this.deps.target.read(batch.map((candidate) => candidate.prepared.id));
    // Awaited in turn by processHead; this only keeps a failed read from being reported as unhandled before then.
    states.catch(() => undefined);
    this.queue.push({ batch, states });
    if (this.queue.length > this.options.readAhead) await this.processHead();
  }

  private async processHead(): Promise<void> {
    const head = this.queue.shift()!;
    await this.processBatch(head.batch, await head.states);
    this.batches++;
    const { counts } = this.ledger;
    if (this.checkpoint && this.writer) {
      this.checkpoint = progressedCheckpoint(this.checkpoint, counts, this.ledger.highWaterMark);
      this.writer.request(this.checkpoint);
    }
    this.deps.onProgress({ event: 'batch', batch: this.batches, counts: { ...counts }, progress: this.deps.source.progress() });
  }

  private async processBatch(batch: Candidate[], prefetched: TargetDocument[]): Promise<void> {
    const { target, source } = this.deps;
    let states = prefetched;
    for (let attempt = 1; ; attempt++) {
      const decision = decideBatch(batch, states, this.ledger.names, { source: source.label, importedAt: new Date().toISOString() });
      if (this.options.dryRun) return this.ledger.settle(batch, states, decision);
      const unknown = unknownCounterKeys(decision.needed, this.counters);
      if (unknown.length > 0) this.remember(await target.readCounters(unknown));
      const bumps = counterBumpsOf(decision.needed, this.counters);
      const operations = operationsOf(decision.writes.length, bumps.length);
      if (operations === 0) return this.ledger.settle(batch, states, decision);
      await this.deps.pacer.take(operations);
      const result = await target.commit(decision.writes, bumps);
      if (typeof result === 'object' && 'refused' in result) return this.refused(batch, states, result.refused);
      if (result !== 'stale') {
        this.remember(result.counters);
        this.documentsWritten += operations;
        return this.ledger.settle(batch, states, decision);
      }
      if (attempt >= COMMIT_ATTEMPTS) {
        for (const failure of contentionFailures(batch, COMMIT_ATTEMPTS)) this.ledger.fail(failure);
        return;
      }
      // Something the commit depended on changed since it was read (an API write, a counter): read again.
      states = await target.read(batch.map((candidate) => candidate.prepared.id));
      this.remember(await target.readCounters(bumps.map((bump) => bump.key)));
    }
  }

  /**
   * The database refused a commit for something one of its documents holds (nothing was written):
   * each is committed alone, so that only the one it refuses fails, reported by its position.
   */
  private async refused(batch: Candidate[], states: TargetDocument[], reason: string): Promise<void> {
    if (batch.length === 1) return this.ledger.fail(refusalFailure(batch[0]!, reason));
    for (const [index, candidate] of batch.entries()) await this.processBatch([candidate], [states[index]!]);
  }

  private remember(counters: Counter[]): void {
    for (const counter of counters) this.counters.set(counter.key, counter);
  }
}

export async function importAssets(deps: ImportDependencies, options: ImportOptions): Promise<ImportReport> {
  const { source, target, taxonomy } = deps;
  const began = Date.now();
  const startedAt = new Date(began).toISOString();
  const sinceMs = options.since === undefined ? undefined : Date.parse(options.since);
  const { names } = await loadTargetNames(target, false);
  const checkpoint = deps.checkpoints
    ? await deps.checkpoints.acquire((previous) =>
        startingCheckpoint(previous, { source: source.label, since: options.since, operator: options.operator, now: new Date().toISOString() }),
      )
    : undefined;
  const writer = deps.checkpoints ? new CheckpointWriter<ImportCheckpoint>(deps.checkpoints) : undefined;
  deps.onProgress({ event: 'start', command: options.command, source: source.label, dryRun: options.dryRun, since: options.since ?? null });

  const ledger = new ImportLedger(names, { taxonomy, dryRun: options.dryRun, startedAt, began, sinceMs });
  const runner = new ImportRunner(deps, options, ledger, checkpoint, writer);
  let failure = await runner.run();

  const anomalies = ledger.finalAnomalies();
  const { counts, highWaterMark } = ledger;
  const finishedAt = new Date().toISOString();
  if (checkpoint && writer) {
    try {
      await writer.close(finalCheckpoint(checkpoint, { failed: failure !== undefined, finishedAt, counts, highWaterMark }));
    } catch (error) {
      failure ??= error;
    }
  }
  const durationMs = Date.now() - began;
  return {
    command: options.command,
    source: source.label,
    dryRun: options.dryRun,
    status: failure !== undefined ? 'failed' : options.dryRun ? 'dry-run' : 'completed',
    ...(failure !== undefined ? { error: messageOf(failure) } : {}),
    counts,
    anomalies,
    failures: ledger.failures,
    highWaterMark,
    since: options.since ?? null,
    sequences: ledger.sequenceSummary(),
    documentsRead: target.documentsRead,
    documentsWritten: runner.written,
    durationMs,
    documentsPerSecond: durationMs > 0 ? (counts.read * 1000) / durationMs : 0,
    operator: options.operator,
    startedAt,
    finishedAt,
  };
}
