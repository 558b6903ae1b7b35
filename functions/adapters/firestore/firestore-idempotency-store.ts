/**
 * Idempotency keys in Firestore, one document per scoped key. A claim is a create (no transaction):
 * fifty retries of one request contend on nothing, exactly one create wins and the others read.
 * Each claim carries a random token; the claimed request's write reads the key in its own
 * transaction and commits only while the token is still there, marking the key `committed` with
 * what it wrote (fenceInTransaction), so a write and a takeover of its key never both land.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Timestamp, type CollectionReference, type DocumentSnapshot, type Firestore, type Transaction } from '@google-cloud/firestore';
import { ConflictError } from '../../domain/errors.js';
import type { ClaimOutcome, IdempotencyStore, RecordedResponse, WriteFence } from '../../domain/ports/idempotency-store.js';
import { withFirestoreErrors } from './firestore-errors.js';
import { hasGrpcStatus } from './grpc-status.js';
import { IDEMPOTENCY_COLLECTION } from './stored-names.js';

/** Between tries to give back a claim whose request was answered while the database did not answer. */
const RELEASE_RETRY_MS = 1_000;
/** Someone else wrote the key first. */
function lostRace(error: unknown): boolean {
  return hasGrpcStatus(error, ['ALREADY_EXISTS', 'FAILED_PRECONDITION']);
}

export interface IdempotencyTimes {
  /** How long a key is remembered (its TTL). */
  ttlMs: number;
  /** How long a claim holds before another request may take the key over (the first one died). */
  leaseMs: number;
}

/** What happens to keys after their request was answered: a claim or release that outlived its deadline. */
export interface IdempotencyStoreEvents {
  /** The key's late claim or release has settled: the request holds it no longer. */
  settledLate?(key: string): void;
  /** A claim could not be given back before its lease ran out (a retry takes the key over after the lease). */
  releaseFailed?(error: unknown): void;
}

export class FirestoreIdempotencyStore implements IdempotencyStore {
  private readonly keys: CollectionReference;

  constructor(
    db: Firestore,
    private readonly times: IdempotencyTimes,
    private readonly deadlineMs: number,
    private readonly events: IdempotencyStoreEvents = {},
  ) {
    this.keys = db.collection(IDEMPOTENCY_COLLECTION);
  }

  private pending(fingerprint: string, now: Date, token: string) {
    return {
      state: 'pending',
      fingerprint,
      token,
      leaseUntil: Timestamp.fromMillis(now.getTime() + this.times.leaseMs),
      expireAt: Timestamp.fromMillis(now.getTime() + this.times.ttlMs),
    };
  }

  claim(scopedKey: string, fingerprint: string, now: Date): Promise<ClaimOutcome> {
    const attempt = this.claimOnce(scopedKey, fingerprint, now);
    return withFirestoreErrors(() => attempt, this.deadlineMs).catch((error: unknown) => {
      // Answered 503, nothing written; but the claim is still on its way, and may land once the
      // database answers again: then it is given back, so that the retry the answer asks for is not
      // kept waiting for the lease.
      attempt.then(
        (outcome) => {
          if (outcome.kind === 'claimed') this.releaseInBackground(outcome.fence);
          else this.events.settledLate?.(scopedKey);
        },
        // The claim failed after all: it holds nothing.
        () => this.events.settledLate?.(scopedKey),
      );
      throw error;
    });
  }

  private async claimOnce(scopedKey: string, fingerprint: string, now: Date): Promise<ClaimOutcome> {
    const reference = this.keys.doc(scopedKey);
    for (;;) {
      const fence: WriteFence = { key: scopedKey, token: randomUUID() };
      try {
        await reference.create(this.pending(fingerprint, now, fence.token));
        return { kind: 'claimed', fence };
      } catch (error) {
        if (!lostRace(error)) throw error;
      }
      const snapshot = await reference.get();
      if (!snapshot.exists) continue;
      const outcome = this.outcomeOf(snapshot, fingerprint, now);
      if (outcome) return outcome;
      // Expired (TTL not run yet) or a dead claim: take it over, unless another request just did.
      try {
        await reference.update(this.pending(fingerprint, now, fence.token), { lastUpdateTime: snapshot.updateTime! });
        return { kind: 'claimed', fence };
      } catch (error) {
        if (!lostRace(error)) throw error;
      }
    }
  }

  /** What an existing key means for this request; undefined when the key may be taken over. */
  private outcomeOf(snapshot: DocumentSnapshot, fingerprint: string, now: Date): ClaimOutcome | undefined {
    const expireAt = snapshot.get('expireAt') as Timestamp;
    if (expireAt.toMillis() <= now.getTime()) return undefined;
    if (snapshot.get('fingerprint') !== fingerprint) return { kind: 'mismatch' };
    if (snapshot.get('state') === 'done') return { kind: 'done', response: JSON.parse(snapshot.get('response') as string) as RecordedResponse };
    if ((snapshot.get('leaseUntil') as Timestamp).toMillis() > now.getTime()) return { kind: 'in-flight' };
    // Written, never answered (its request died or answered "outcome unknown"): never redone.
    if (snapshot.get('state') === 'committed') return { kind: 'committed', target: String(snapshot.get('target')) };
    return undefined;
  }

  complete(scopedKey: string, response: RecordedResponse, now: Date): Promise<void> {
    return withFirestoreErrors(async () => {
      await this.keys
        .doc(scopedKey)
        .update({ state: 'done', response: JSON.stringify(response), expireAt: Timestamp.fromMillis(now.getTime() + this.times.ttlMs) });
    }, this.deadlineMs);
  }

  release(fence: WriteFence): Promise<void> {
    const attempt = this.releaseOnce(fence);
    return withFirestoreErrors(() => attempt, this.deadlineMs).catch((error: unknown) => {
      // The database did not answer in time: the key is given back in the background instead.
      attempt.then(
        () => this.events.settledLate?.(fence.key),
        () => this.releaseInBackground(fence),
      );
      throw error;
    });
  }

  /** Deletes this request's own claim; a committed key (it records a write) or a retry's takeover is not ours to drop. */
  private async releaseOnce(fence: WriteFence): Promise<void> {
    const reference = this.keys.doc(fence.key);
    const snapshot = await reference.get();
    if (!snapshot.exists || snapshot.get('state') !== 'pending' || snapshot.get('token') !== fence.token) return;
    try {
      await reference.delete({ lastUpdateTime: snapshot.updateTime! });
    } catch (error) {
      // Changed since it was read: committed by this request's write after all, or taken over.
      if (!lostRace(error)) throw error;
    }
  }

  /** Keeps trying to give the claim back until its lease runs out (a retry may take the key over then anyway). */
  private releaseInBackground(fence: WriteFence): void {
    const until = Date.now() + this.times.leaseMs;
    const attempt = async (): Promise<void> => {
      for (;;) {
        try {
          await withFirestoreErrors(() => this.releaseOnce(fence), this.deadlineMs);
          this.events.settledLate?.(fence.key);
          return;
        } catch (error) {
          if (Date.now() + RELEASE_RETRY_MS >= until) {
            this.events.releaseFailed?.(error);
            return;
          }
          await sleep(RELEASE_RETRY_MS, undefined, { ref: false });
        }
      }
    };
    void attempt();
  }
}

/** What a fenced write learns from its key: what to record, or that an earlier attempt of its own already wrote. */
export interface FencedWrite {
  /** The asset an earlier attempt of this same request wrote (its commit failed ambiguously and the library retried). */
  written?: string;
  record(target: string): void;
}

/**
 * Reads an Idempotency-Key claim inside the transaction of the write it guards (before its other
 * writes). Refused (409, nothing written) when the claim is no longer this request's: it outlived
 * its lease and a retry took the key over.
 */
export async function fenceInTransaction(db: Firestore, transaction: Transaction, fence: WriteFence): Promise<FencedWrite> {
  const reference = db.collection(IDEMPOTENCY_COLLECTION).doc(fence.key);
  const snapshot = await transaction.get(reference);
  const ours = snapshot.exists && snapshot.get('token') === fence.token;
  if (ours && snapshot.get('state') === 'committed') return { written: String(snapshot.get('target')), record: () => undefined };
  if (!ours || snapshot.get('state') !== 'pending') {
    throw new ConflictError('A retry with this Idempotency-Key took the request over while it waited; nothing was written by this one');
  }
  return { record: (target) => transaction.update(reference, { state: 'committed', target }) };
}
