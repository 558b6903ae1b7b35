/**
 * Which delivery of a job does the work. A delivery takes a lease on the job (`albumArt.lease`); while
 * a live invocation holds it, other deliveries of the same job are acknowledged without work and
 * without counting. `attempts` counts deliveries that did the work: the first, plus one per delivery
 * after a failure (released lease) or after an invocation that died holding the lease (expired).
 */
import type { AlbumArt } from '../domain/schemas/album-art.js';
import { transition } from './album-art-status.js';
import type { AlbumArtDecision } from './ports/album-art-store.js';

export type Claim = { proceed: false; reason: string } | { proceed: true; attempts: number };

export interface ClaimRequest {
  jobId: string;
  /** This invocation's id. */
  holder: string;
  now: Date;
  leaseMs: number;
}

export function claimJob(current: AlbumArt | undefined, request: ClaimRequest): AlbumArtDecision<Claim> {
  if (current?.jobId !== request.jobId) return { result: { proceed: false, reason: 'STALE_JOB' } };
  const lease = { holder: request.holder, expiresAt: new Date(request.now.getTime() + request.leaseMs).toISOString() };
  const attempts = (current.attempts ?? 0) + 1;
  if (current.status === 'processing') {
    const held = current.lease && current.lease.holder !== request.holder && Date.parse(current.lease.expiresAt) > request.now.getTime();
    if (held) return { result: { proceed: false, reason: 'CLAIM_HELD' } };
    return { result: { proceed: true, attempts }, write: { ...current, attempts, lease } };
  }
  const outcome = transition(current, { status: 'processing', jobId: request.jobId, at: request.now.toISOString(), fields: { attempts, lease } });
  if (!outcome.applied) {
    return { result: { proceed: false, reason: outcome.reason === 'duplicate' ? 'DUPLICATE' : `ALREADY_${(current.status ?? 'pending').toUpperCase()}` } };
  }
  return { result: { proceed: true, attempts }, write: outcome.albumArt };
}

/** Gives the lease back after a retryable failure, so the redelivery does the work at once. */
export function releaseJob(current: AlbumArt | undefined, request: Pick<ClaimRequest, 'jobId' | 'holder'>): AlbumArtDecision<boolean> {
  if (current?.jobId !== request.jobId || current.status !== 'processing' || current.lease?.holder !== request.holder) return { result: false };
  const released: AlbumArt = { ...current };
  delete released.lease;
  return { result: true, write: released };
}
