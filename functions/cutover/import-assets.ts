/**
 * `plan` and `apply`: streams the source, cut into batches; each batch's target documents are read
 * by id (several batches ahead, never by a query), compared with what would be written, and the
 * changed ones written in one atomic commit with their history entries and the counter bumps of
 * their taxonomy paths, one commit at a time, paced. A rerun over an unchanged source therefore
 * writes nothing, and a run killed at any point leaves whole assets only: the next run reads again
 * and writes what is missing. Name conflicts are checked against one pass over the target's names
 * at the start, kept up to date as the run writes: O(N) in all.
 */
import { sameValue } from '../adapters/firestore/firestore-values.js';
import { ValidationError } from '../domain/errors.js';
import type { Taxonomy } from '../domain/taxonomy/taxonomy.js';
import type { CheckpointStore } from '../domain/ports/checkpoint-store.js';
import { CheckpointWriter } from '../platform/checkpoint-writer.js';
import { AnomalyLog } from './anomalies.js';
import type { ImportCheckpoint } from './import-checkpoint.js';
import { MAX_REPORTED, zeroImportCounts, type ImportCounts, type ImportFailure, type ImportListener, type ImportReport } from './import-report.js';
import { comparableForm, nameKeyOf, prepareLegacyAsset, provenanceOf, storedDocumentOf, type PreparedAsset } from './legacy-asset.js';
import { operationsOf, type Counter, type ImportTarget, type LegacyAssetSource, type SourceRecord, type TargetDocument, type TargetWrite } from './ports.js';
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

interface Candidate {
  position: string;
  prepared: PreparedAsset;
}

type Outcome = 'created' | 'updated' | 'unchanged' | ImportFailure;

interface Decision {
  outcomes: Outcome[];
  writes: TargetWrite[];
  /** Per sequence key, the highest sequence of the batch's imported assets. */
  needed: Map<string, number>;
}

/** Why a run stopped, for its report: the error's own message (a stopped run is resumed by running it again). */
function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function later(current: string | null, candidate: string | undefined): string | null {
  if (candidate === undefined || Number.isNaN(Date.parse(candidate))) return current;
  return current === null || Date.parse(candidate) > Date.parse(current) ? candidate : current;
}

function startCheckpoint(previous: ImportCheckpoint | undefined, source: string, since: string | undefined, operator: string): ImportCheckpoint {
  const now = new Date().toISOString();
  return {
    status: 'running',
    source,
    since: since ?? null,
    operator,
    startedAt: now,
    updatedAt: now,
    finishedAt: null,
    runs: (previous?.runs ?? 0) + 1,
    counts: zeroImportCounts(),
    highWaterMark: null,
    lastCompleted: previous?.lastCompleted ?? null,
    lease: null,
  };
}

export async function importAssets(deps: ImportDependencies, options: ImportOptions): Promise<ImportReport> {
  const { source, target, taxonomy } = deps;
  const began = Date.now();
  const startedAt = new Date(began).toISOString();
  const sinceMs = options.since === undefined ? undefined : Date.parse(options.since);
  const { names } = await loadTargetNames(target, false);
  let checkpoint = deps.checkpoints
    ? await deps.checkpoints.acquire((previous) => startCheckpoint(previous, source.label, options.since, options.operator))
    : undefined;
  const writer = deps.checkpoints ? new CheckpointWriter<ImportCheckpoint>(deps.checkpoints) : undefined;
  deps.onProgress({ event: 'start', command: options.command, source: source.label, dryRun: options.dryRun, since: options.since ?? null });

  const counts: ImportCounts = zeroImportCounts();
  const anomalies = new AnomalyLog();
  const failures: ImportFailure[] = [];
  const sequences = new Map<string, number>();
  /** Counters as this run last read or wrote them. */
  const counters = new Map<string, Counter>();
  /** Components not found when their composite was read, checked again at the end (components usually come first). */
  const pendingComponents = new Map<string, { count: number; id: string; name: string }>();
  /**
   * A dry run writes nothing, so it remembers every id it reads to report one the source holds
   * twice; a writing run finds the first write of such an id in the target instead (the document
   * it reads was imported by this run), so that its memory stays the name index alone.
   */
  const seenIds = options.dryRun ? new Set<string>() : undefined;
  const duplicate = (id: string, name: string, position: string): void =>
    anomalies.add(id, name, { kind: 'duplicate-id', detail: `${position} holds _id ${id} again` }, 1, position);
  let highWaterMark: string | null = null;
  let documentsWritten = 0;
  let batches = 0;

  const fail = (failure: ImportFailure): void => {
    counts.failed++;
    if (failures.length < MAX_REPORTED) failures.push(failure);
  };

  function decide(batch: Candidate[], states: TargetDocument[], importedAt: string): Decision {
    const outcomes: Outcome[] = [];
    const writes: TargetWrite[] = [];
    const needed = new Map<string, number>();
    // Names claimed by this batch, so two of its documents cannot take one name either.
    const claimed = new Map<string, string>();
    batch.forEach(({ position, prepared }, index) => {
      const state = states[index]!;
      const name = String(prepared.fields['name']);
      const holder = claimed.get(prepared.nameKey) ?? names.get(prepared.nameKey);
      if (state.deletedHere) {
        outcomes.push({
          position,
          id: prepared.id,
          name,
          reason: 'deleted-here',
          message: `asset ${prepared.id} was deleted in this backend; restore or purge it first`,
        });
        return;
      }
      if (holder !== undefined && holder !== prepared.id) {
        outcomes.push({
          position,
          id: prepared.id,
          name,
          reason: 'name-conflict',
          message: `${prepared.nameKey} is already held by asset ${holder} in this backend`,
        });
        return;
      }
      claimed.set(prepared.nameKey, prepared.id);
      const after = storedDocumentOf(prepared, state.data, { source: source.label, importedAt });
      if (state.data && sameValue(comparableForm(after), comparableForm(state.data))) outcomes.push('unchanged');
      else {
        outcomes.push(state.data ? 'updated' : 'created');
        writes.push({ before: state, after });
      }
      if (prepared.address) needed.set(prepared.address.sequenceKey, Math.max(needed.get(prepared.address.sequenceKey) ?? 0, prepared.address.sequence));
    });
    return { outcomes, writes, needed };
  }

  /** What a decided batch changes in the run's state once it is committed (or, on a dry run, would be). */
  function settle(batch: Candidate[], states: TargetDocument[], decision: Decision): void {
    batch.forEach(({ position, prepared }, index) => {
      const outcome = decision.outcomes[index]!;
      if (typeof outcome !== 'string') return fail(outcome);
      counts[outcome]++;
      const name = String(prepared.fields['name']);
      for (const anomaly of prepared.anomalies) anomalies.add(prepared.id, name, anomaly, 1, position);
      const before = states[index]!.data;
      if (!seenIds && (provenanceOf(before)?.importedAt ?? '') >= startedAt) duplicate(prepared.id, name, position);
      const previousKey = before ? nameKeyOf({ name: before['name'], hfn: (before['_sys'] as { hfn?: unknown } | undefined)?.hfn }) : undefined;
      if (previousKey !== undefined && previousKey !== prepared.nameKey && names.get(previousKey) === prepared.id) names.delete(previousKey);
      names.set(prepared.nameKey, prepared.id);
    });
    for (const [key, sequence] of decision.needed) sequences.set(key, Math.max(sequences.get(key) ?? 0, sequence));
    batch.forEach(({ prepared }, index) => {
      if (typeof decision.outcomes[index] !== 'string') return;
      for (const hfn of prepared.componentHfns) {
        if (names.has(hfn)) continue;
        const pending = pendingComponents.get(hfn) ?? { count: 0, id: prepared.id, name: String(prepared.fields['name']) };
        pending.count++;
        pendingComponents.set(hfn, pending);
      }
    });
  }

  /** The counter writes a batch needs: only where it raises the last number this run knows (counters never go down). */
  async function counterBumps(needed: Map<string, number>): Promise<Counter[]> {
    const unknown = [...needed.keys()].filter((key) => !counters.has(key));
    if (unknown.length > 0) for (const counter of await target.readCounters(unknown)) counters.set(counter.key, counter);
    return [...needed].flatMap(([key, sequence]) => {
      const known = counters.get(key)!;
      return sequence > known.last ? [{ ...known, last: sequence }] : [];
    });
  }

  async function processBatch(batch: Candidate[], prefetched: TargetDocument[]): Promise<void> {
    let states = prefetched;
    for (let attempt = 1; ; attempt++) {
      const decision = decide(batch, states, new Date().toISOString());
      if (options.dryRun) return settle(batch, states, decision);
      const bumps = await counterBumps(decision.needed);
      const operations = operationsOf(decision.writes.length, bumps.length);
      if (operations === 0) return settle(batch, states, decision);
      await deps.pacer.take(operations);
      const result = await target.commit(decision.writes, bumps);
      if (typeof result === 'object' && 'refused' in result) return refused(batch, states, result.refused);
      if (result !== 'stale') {
        for (const counter of result.counters) counters.set(counter.key, counter);
        documentsWritten += operations;
        return settle(batch, states, decision);
      }
      if (attempt >= COMMIT_ATTEMPTS) {
        for (const { position, prepared } of batch) {
          fail({
            position,
            id: prepared.id,
            reason: 'contention',
            message: `changed in this backend under ${COMMIT_ATTEMPTS} attempts; left for the next run`,
          });
        }
        return;
      }
      // Something the commit depended on changed since it was read (an API write, a counter): read again.
      states = await target.read(batch.map((candidate) => candidate.prepared.id));
      for (const counter of await target.readCounters(bumps.map((bump) => bump.key))) counters.set(counter.key, counter);
    }
  }

  /**
   * The database refused a commit for something one of its documents holds (nothing was written):
   * each is committed alone, so that only the one it refuses fails, reported by its position.
   */
  async function refused(batch: Candidate[], states: TargetDocument[], reason: string): Promise<void> {
    if (batch.length === 1) {
      const [{ position, prepared }] = batch as [Candidate];
      return fail({ position, id: prepared.id, name: String(prepared.fields['name']), reason: 'bad-input', message: `the database refused it: ${reason}` });
    }
    for (const [index, candidate] of batch.entries()) await processBatch([candidate], [states[index]!]);
  }

  function afterBatch(): void {
    batches++;
    if (checkpoint && writer) {
      checkpoint = { ...checkpoint, counts: { ...counts }, highWaterMark };
      writer.request(checkpoint);
    }
    deps.onProgress({ event: 'batch', batch: batches, counts: { ...counts }, progress: source.progress() });
  }

  /** A source record as a candidate, or counted as it stands (bad input, or left out by --since). */
  function candidateOf(record: SourceRecord): Candidate | undefined {
    counts.read++;
    if ('error' in record) {
      fail({ position: record.position, ...(record.id ? { id: record.id } : {}), reason: 'bad-input', message: record.error });
      return undefined;
    }
    let prepared: PreparedAsset;
    try {
      prepared = prepareLegacyAsset(taxonomy, record.document, began);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const id = record.document['_id'];
      fail({ position: record.position, ...(typeof id === 'string' ? { id } : {}), reason: 'bad-input', message: error.message });
      return undefined;
    }
    if (seenIds?.has(prepared.id)) duplicate(prepared.id, String(prepared.fields['name']), record.position);
    else seenIds?.add(prepared.id);
    highWaterMark = later(highWaterMark, prepared.updatedAt);
    if (sinceMs !== undefined && prepared.updatedAt !== undefined && Date.parse(prepared.updatedAt) < sinceMs) {
      counts.skipped++;
      return undefined;
    }
    return { position: record.position, prepared };
  }

  // Batches are read ahead (their target documents fetched) while the one at the head is written.
  const queue: Array<{ batch: Candidate[]; states: Promise<TargetDocument[]> }> = [];
  const processHead = async (): Promise<void> => {
    const head = queue.shift()!;
    await processBatch(head.batch, await head.states);
    afterBatch();
  };
  let batch: Candidate[] = [];
  let ids = new Set<string>();
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const states = target.read(batch.map((candidate) => candidate.prepared.id));
    // Awaited in turn by processHead; this only keeps a failed read from being reported as unhandled before then.
    states.catch(() => undefined);
    queue.push({ batch, states });
    batch = [];
    ids = new Set();
    if (queue.length > options.readAhead) await processHead();
  };

  let failure: unknown;
  try {
    try {
      for await (const record of source.records()) {
        const candidate = candidateOf(record);
        if (!candidate) continue;
        // The same asset twice in one commit cannot be written: the second goes to the next batch.
        if (ids.has(candidate.prepared.id)) await flush();
        batch.push(candidate);
        ids.add(candidate.prepared.id);
        if (batch.length >= options.batchSize) await flush();
      }
    } catch (error) {
      // The source stopped part-way (a page too large, paging that does not end): what was read is
      // still written, and the run ends failed, so that no high-water mark claims the unread part.
      if (!(error instanceof LegacySourceError)) throw error;
      failure = error;
    }
    await flush();
    while (queue.length > 0) await processHead();
  } catch (error) {
    failure ??= error;
  }

  for (const [hfn, pending] of pendingComponents) {
    if (!names.has(hfn)) anomalies.add(pending.id, pending.name, { kind: 'dangling-component', detail: `${hfn} names no asset` }, pending.count);
  }
  const finishedAt = new Date().toISOString();
  if (checkpoint && writer) {
    const status = failure === undefined ? 'completed' : 'failed';
    const final: ImportCheckpoint = { ...checkpoint, status, finishedAt, counts: { ...counts }, highWaterMark };
    if (status === 'completed') final.lastCompleted = { source: source.label, finishedAt, highWaterMark, counts: { ...counts } };
    try {
      await writer.close(final);
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
    anomalies: anomalies.summary(),
    failures,
    highWaterMark,
    since: options.since ?? null,
    sequences: Object.fromEntries([...sequences].sort(([a], [b]) => (a < b ? -1 : 1))),
    documentsRead: target.documentsRead,
    documentsWritten,
    durationMs,
    documentsPerSecond: durationMs > 0 ? (counts.read * 1000) / durationMs : 0,
    operator: options.operator,
    startedAt,
    finishedAt,
  };
}
