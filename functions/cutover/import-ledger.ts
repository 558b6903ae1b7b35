/**
 * What an import run has learnt so far: its counts, failures and anomalies, the names the target
 * holds (kept up to date as the run writes), the highest sequence per taxonomy path, components not
 * found yet, and the source's high-water mark. The runner records each record and each settled
 * batch here; the report is read from it at the end.
 */
import { AnomalyLog, type AnomalySummary } from './anomalies.js';
import { admissionOf, type BatchDecision, type Candidate } from './import-decision.js';
import { MAX_REPORTED, zeroImportCounts, type ImportCounts, type ImportFailure } from './import-report.js';
import { nameKeyOf, provenanceOf } from './legacy-asset.js';
import type { NameIndex } from './name-index.js';
import type { SourceRecord, TargetDocument } from './ports.js';
import type { Taxonomy } from '../domain/taxonomy/taxonomy.js';

interface PendingComponent {
  count: number;
  id: string;
  name: string;
}

function later(current: string | null, candidate: string | undefined): string | null {
  if (candidate === undefined || Number.isNaN(Date.parse(candidate))) return current;
  return current === null || Date.parse(candidate) > Date.parse(current) ? candidate : current;
}

export class ImportLedger {
  readonly counts: ImportCounts = zeroImportCounts();
  readonly failures: ImportFailure[] = [];
  private readonly anomalies = new AnomalyLog();
  private readonly sequences = new Map<string, number>();
  /** Components not found when their composite was read, checked again at the end (components usually come first). */
  private readonly pendingComponents = new Map<string, PendingComponent>();
  /**
   * A dry run writes nothing, so it remembers every id it reads to report one the source holds
   * twice; a writing run finds the first write of such an id in the target instead (the document
   * it reads was imported by this run), so that its memory stays the name index alone.
   */
  private readonly seenIds: Set<string> | undefined;
  private mark: string | null = null;

  constructor(
    /** The target's names (base name -> id), from one pass at the start. */
    readonly names: NameIndex,
    private readonly run: { taxonomy: Taxonomy; dryRun: boolean; startedAt: string; began: number; sinceMs: number | undefined },
  ) {
    this.seenIds = run.dryRun ? new Set<string>() : undefined;
  }

  /** The latest `updatedAt` read from the source. */
  get highWaterMark(): string | null {
    return this.mark;
  }

  fail(failure: ImportFailure): void {
    this.counts.failed++;
    if (this.failures.length < MAX_REPORTED) this.failures.push(failure);
  }

  /** A source record read: the candidate to import, or undefined when it is counted as it stands (bad input, left out by --since). */
  admit(record: SourceRecord): Candidate | undefined {
    this.counts.read++;
    const admission = admissionOf(record, this.run.taxonomy, this.run.began, this.run.sinceMs);
    if ('failure' in admission) {
      this.fail(admission.failure);
      return undefined;
    }
    const { candidate } = admission;
    const { prepared } = candidate;
    if (this.seenIds?.has(prepared.id)) this.duplicate(prepared.id, String(prepared.fields['name']), candidate.position);
    else this.seenIds?.add(prepared.id);
    this.mark = later(this.mark, prepared.updatedAt);
    if (admission.skipped) {
      this.counts.skipped++;
      return undefined;
    }
    return candidate;
  }

  /** What a decided batch changes in the run's state once it is committed (or, on a dry run, would be). */
  settle(batch: readonly Candidate[], states: readonly TargetDocument[], decision: BatchDecision): void {
    const { names } = this;
    batch.forEach(({ position, prepared }, index) => {
      const outcome = decision.outcomes[index]!;
      if (typeof outcome !== 'string') return this.fail(outcome);
      this.counts[outcome]++;
      const name = String(prepared.fields['name']);
      for (const anomaly of prepared.anomalies) this.anomalies.add(prepared.id, name, anomaly, 1, position);
      const before = states[index]!.data;
      if (!this.seenIds && (provenanceOf(before)?.importedAt ?? '') >= this.run.startedAt) this.duplicate(prepared.id, name, position);
      const previousKey = before ? nameKeyOf({ name: before['name'], hfn: (before['_sys'] as { hfn?: unknown } | undefined)?.hfn }) : undefined;
      if (previousKey !== undefined && previousKey !== prepared.nameKey && names.get(previousKey) === prepared.id) names.delete(previousKey);
      names.set(prepared.nameKey, prepared.id);
    });
    for (const [key, sequence] of decision.needed) this.sequences.set(key, Math.max(this.sequences.get(key) ?? 0, sequence));
    batch.forEach(({ prepared }, index) => {
      if (typeof decision.outcomes[index] !== 'string') return;
      for (const hfn of prepared.componentHfns) {
        if (names.has(hfn)) continue;
        const pending = this.pendingComponents.get(hfn) ?? { count: 0, id: prepared.id, name: String(prepared.fields['name']) };
        pending.count++;
        this.pendingComponents.set(hfn, pending);
      }
    });
  }

  /** The anomalies at the end of the run: components that name no asset, of the import or of the target, among them. */
  finalAnomalies(): AnomalySummary[] {
    for (const [hfn, pending] of this.pendingComponents) {
      if (!this.names.has(hfn)) this.anomalies.add(pending.id, pending.name, { kind: 'dangling-component', detail: `${hfn} names no asset` }, pending.count);
    }
    this.pendingComponents.clear();
    return this.anomalies.summary();
  }

  /** Per taxonomy path, the highest sequence imported, by path. */
  sequenceSummary(): Record<string, number> {
    return Object.fromEntries([...this.sequences].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  private duplicate(id: string, name: string, position: string): void {
    this.anomalies.add(id, name, { kind: 'duplicate-id', detail: `${position} holds _id ${id} again` }, 1, position);
  }
}
