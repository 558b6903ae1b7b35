/**
 * The album-art status machine: pending -> processing -> stored -> ready, or failed. Every writer
 * (API, album-art processor, variant generator) applies changes through `transition`, inside a
 * conditional write, so that a duplicate or late delivery can never move an asset backwards.
 */
import type { AlbumArt, AlbumArtStatus, AlbumArtStatusNote } from '../domain/schemas/album-art.js';

const RANK: Record<AlbumArtStatus, number> = { pending: 0, processing: 1, stored: 2, ready: 3, failed: 3 };
/** Status history is for people reading an asset; it is bounded so a document cannot grow without end. */
const STATUS_HISTORY_LIMIT = 20;

/** Why a change cost less than usual (an original or variant set already stored), for the history. */
export type StatusNote = AlbumArtStatusNote;

export interface StatusChange {
  status: AlbumArtStatus;
  jobId: string;
  at: string;
  note?: StatusNote;
  /** Fields to set with the change (original, variants, error, ...). */
  fields?: Partial<AlbumArt>;
}

export type TransitionOutcome = { applied: true; albumArt: AlbumArt } | { applied: false; reason: 'duplicate' | 'stale-job' | 'backwards' | 'terminal' };

/**
 * Applies a change if it moves the current job forward. A `pending` change for a new job id starts
 * that job over (a new source URL); any other change for a job that is not current is stale.
 */
export function transition(current: AlbumArt | undefined, change: StatusChange): TransitionOutcome {
  const base: AlbumArt = current ?? { source: 'iTunes' };
  const isNewJob = base.jobId !== change.jobId;
  if (isNewJob) {
    if (change.status !== 'pending') return { applied: false, reason: 'stale-job' };
  } else {
    const from = base.status ?? 'pending';
    if (from === change.status) return { applied: false, reason: 'duplicate' };
    if (from === 'ready' || from === 'failed') return { applied: false, reason: 'terminal' };
    if (RANK[change.status] < RANK[from]) return { applied: false, reason: 'backwards' };
  }
  const history = [
    ...(isNewJob ? [] : (base.statusHistory ?? [])),
    { status: change.status, at: change.at, jobId: change.jobId, ...(change.note ? { note: change.note } : {}) },
  ];
  const next: AlbumArt = { ...base, ...change.fields, status: change.status, jobId: change.jobId };
  next.statusHistory = history.slice(-STATUS_HISTORY_LIMIT);
  if (change.status !== 'failed') delete next.error;
  // The claim of a delivery lasts while the job is processing; any later status ends it.
  if (change.status !== 'processing') delete next.lease;
  return { applied: true, albumArt: next };
}
