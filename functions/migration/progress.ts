import type { Counts } from './checkpoint.js';

/** What a run reports while it works; the CLI draws a bar on a terminal and writes JSON lines otherwise. */
export type ProgressEvent =
  | { event: 'start'; command: string; migration: string; dryRun: boolean; total: number; resumedFrom: string | null }
  | { event: 'read'; batch: number; firstId: string; lastId: string }
  | { event: 'batch'; batch: number; size: number; counts: Counts }
  | { event: 'notice'; message: string };

export type ProgressListener = (event: ProgressEvent) => void;

export interface RunReport {
  command: string;
  migration: string;
  dryRun: boolean;
  status: string;
  counts: Counts;
  durationMs: number;
  documentsPerSecond: number;
  errors: { id: string; message: string }[];
  cursor: string | null;
  operator: string;
  startedAt: string;
  finishedAt: string;
  /** Peak resident set size of this process (bytes), for the memory-flatness benchmark and operators. */
  peakRssBytes?: number;
  /** CPU time of this run (user + system, ms, after loading the modules): the client's share, beside the database's. */
  cpuMs?: number;
  /**
   * Share of the run during which the CLI's one JavaScript thread was busy (0-1, Node's event-loop
   * utilization): near 1, the run is bound by that thread and more batches in flight will not help.
   */
  mainThreadBusy?: number;
  /** plan: the first changes the migration would make. */
  sample?: { id: string; changes: Record<string, { before: unknown; after: unknown }> }[];
  /** verify: documents that do not conform, with their problems. */
  offenders?: { id: string; issues: string[] }[];
  /** rollback: documents not restored and why. */
  refused?: { id: string; reason: string }[];
}
