/** What an import run tells while it works and when it ends (the CLI draws a bar on a terminal, JSON lines otherwise). */
import type { AnomalySummary } from './anomalies.js';

export interface ImportCounts {
  /** Records read from the source (bad ones included). */
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Not imported: bad input, a name conflict, an asset deleted in this backend, a document that kept changing. */
  failed: number;
  /** Left out by `--since` (not changed since). */
  skipped: number;
}

export function zeroImportCounts(): ImportCounts {
  return { read: 0, created: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0 };
}

/** A record that was not imported, named by its place in the source and its id when known. */
export interface ImportFailure {
  position: string;
  id?: string;
  name?: string;
  reason: 'bad-input' | 'name-conflict' | 'deleted-here' | 'contention';
  message: string;
}

export type ImportEvent =
  | { event: 'start'; command: string; source: string; dryRun: boolean; since: string | null }
  | { event: 'batch'; batch: number; counts: ImportCounts; progress: number | undefined }
  | { event: 'notice'; message: string };

export type ImportListener = (event: ImportEvent) => void;

export interface ImportReport {
  command: 'plan' | 'apply';
  source: string;
  dryRun: boolean;
  status: 'completed' | 'failed' | 'dry-run';
  /** Why a `failed` run stopped (the target did not answer in time, the source stopped part-way): run it again to resume. */
  error?: string;
  counts: ImportCounts;
  anomalies: AnomalySummary[];
  /** The first failures (all are counted in counts.failed). */
  failures: ImportFailure[];
  /** The latest `updatedAt` read from the source: the `--since` of the next run. */
  highWaterMark: string | null;
  since: string | null;
  /** Per taxonomy path, the highest sequence imported: its counter is at least this after the run. */
  sequences: Record<string, number>;
  /** Target documents read (production bills each) and written (assets, history entries, counters). */
  documentsRead: number;
  documentsWritten: number;
  durationMs: number;
  documentsPerSecond: number;
  operator: string;
  startedAt: string;
  finishedAt: string;
  peakRssBytes?: number;
  cpuMs?: number;
}

export const MAX_REPORTED = 50;
