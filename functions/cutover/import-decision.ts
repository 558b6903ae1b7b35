/**
 * What the importer decides, without reading or writing anything: whether a source record is
 * imported at all (bad input, left out by `--since`), and for a batch, given what the target holds
 * under its ids and the names it knows, which documents to write, which are unchanged, which it
 * refuses, and which sequence counters the batch needs raised. The runner (import-assets.ts) reads,
 * asks these, writes and records; the run's state lives in import-ledger.ts.
 */
import { sameValue } from '../adapters/firestore/firestore-values.js';
import { ValidationError } from '../domain/errors.js';
import type { Taxonomy } from '../domain/taxonomy/taxonomy.js';
import type { ImportFailure } from './import-report.js';
import { comparableForm, prepareLegacyAsset, storedDocumentOf, type PreparedAsset } from './legacy-asset.js';
import type { Counter, SourceRecord, TargetDocument, TargetWrite } from './ports.js';

export interface Candidate {
  position: string;
  prepared: PreparedAsset;
}

/** A source record read: not importable (with why), or prepared, and then left out by `--since` or not. */
export type Admission = { failure: ImportFailure } | { candidate: Candidate; skipped: boolean };

type Outcome = 'created' | 'updated' | 'unchanged' | ImportFailure;

export interface BatchDecision {
  /** One per candidate of the batch, in its order. */
  outcomes: Outcome[];
  writes: TargetWrite[];
  /** Per sequence key, the highest sequence of the batch's imported assets. */
  needed: Map<string, number>;
}

/** Who holds a name key in the target (or earlier in this run), if anyone. */
export interface NameHolders {
  get(nameKey: string): string | undefined;
}

/** A source record as a candidate, or why it is not one. `now` dates the future-date check; `sinceMs` is `--since`. */
export function admissionOf(record: SourceRecord, taxonomy: Taxonomy, now: number, sinceMs: number | undefined): Admission {
  if ('error' in record) return { failure: { position: record.position, ...(record.id ? { id: record.id } : {}), reason: 'bad-input', message: record.error } };
  let prepared: PreparedAsset;
  try {
    prepared = prepareLegacyAsset(taxonomy, record.document, now);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const id = record.document['_id'];
    return { failure: { position: record.position, ...(typeof id === 'string' ? { id } : {}), reason: 'bad-input', message: error.message } };
  }
  const skipped = sinceMs !== undefined && prepared.updatedAt !== undefined && Date.parse(prepared.updatedAt) < sinceMs;
  return { candidate: { position: record.position, prepared }, skipped };
}

/**
 * The batch's outcomes: an asset deleted here, or whose name another asset holds (in the target or
 * earlier in this batch), is refused; one whose stored form would not change is unchanged; the rest
 * are written over what `states` (the target's documents, one per candidate) hold.
 */
export function decideBatch(
  batch: readonly Candidate[],
  states: readonly TargetDocument[],
  names: NameHolders,
  provenance: { source: string; importedAt: string },
): BatchDecision {
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
    const after = storedDocumentOf(prepared, state.data, provenance);
    if (state.data && sameValue(comparableForm(after), comparableForm(state.data))) outcomes.push('unchanged');
    else {
      outcomes.push(state.data ? 'updated' : 'created');
      writes.push({ before: state, after });
    }
    if (prepared.address) needed.set(prepared.address.sequenceKey, Math.max(needed.get(prepared.address.sequenceKey) ?? 0, prepared.address.sequence));
  });
  return { outcomes, writes, needed };
}

/** The sequence keys a batch needs whose counters the run has not read yet. */
export function unknownCounterKeys(needed: ReadonlyMap<string, number>, known: ReadonlyMap<string, Counter>): string[] {
  return [...needed.keys()].filter((key) => !known.has(key));
}

/** The counter writes a batch needs: only where it raises the last number the run knows (counters never go down). */
export function counterBumpsOf(needed: ReadonlyMap<string, number>, known: ReadonlyMap<string, Counter>): Counter[] {
  return [...needed].flatMap(([key, sequence]) => {
    const counter = known.get(key);
    if (!counter) throw new Error(`the counter ${key} was not read before its batch was decided`);
    return sequence > counter.last ? [{ ...counter, last: sequence }] : [];
  });
}

/** Every candidate of a batch that kept changing under it, failed and left for the next run. */
export function contentionFailures(batch: readonly Candidate[], attempts: number): ImportFailure[] {
  return batch.map(({ position, prepared }) => ({
    position,
    id: prepared.id,
    reason: 'contention',
    message: `changed in this backend under ${attempts} attempts; left for the next run`,
  }));
}

/** A lone candidate the database refused to store (nothing was written). */
export function refusalFailure({ position, prepared }: Candidate, reason: string): ImportFailure {
  return { position, id: prepared.id, name: String(prepared.fields['name']), reason: 'bad-input', message: `the database refused it: ${reason}` };
}
