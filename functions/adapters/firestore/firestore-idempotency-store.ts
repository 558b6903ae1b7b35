/**
 * Idempotency keys in Firestore, one document per scoped key. A claim is a create (no transaction):
 * fifty retries of one request contend on nothing, exactly one create wins and the others read.
 */
import { Timestamp, type CollectionReference, type DocumentSnapshot, type Firestore } from '@google-cloud/firestore';
import type { ClaimOutcome, IdempotencyStore, RecordedResponse } from '../../domain/ports/idempotency-store.js';
import { withFirestoreErrors } from './firestore-errors.js';

const IDEMPOTENCY_COLLECTION = 'idempotency_keys';
/** gRPC ALREADY_EXISTS and FAILED_PRECONDITION: someone else wrote the key first. */
const LOST_RACE = new Set([6, 9]);

function lostRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && LOST_RACE.has(code);
}

export interface IdempotencyTimes {
  /** How long a key is remembered (its TTL). */
  ttlMs: number;
  /** How long a claim holds before another request may take the key over (the first one died). */
  leaseMs: number;
}

export class FirestoreIdempotencyStore implements IdempotencyStore {
  private readonly keys: CollectionReference;

  constructor(
    db: Firestore,
    private readonly times: IdempotencyTimes,
    private readonly deadlineMs: number,
  ) {
    this.keys = db.collection(IDEMPOTENCY_COLLECTION);
  }

  private pending(fingerprint: string, now: Date) {
    return {
      state: 'pending',
      fingerprint,
      leaseUntil: Timestamp.fromMillis(now.getTime() + this.times.leaseMs),
      expireAt: Timestamp.fromMillis(now.getTime() + this.times.ttlMs),
    };
  }

  claim(scopedKey: string, fingerprint: string, now: Date): Promise<ClaimOutcome> {
    return withFirestoreErrors(async () => {
      const reference = this.keys.doc(scopedKey);
      for (;;) {
        try {
          await reference.create(this.pending(fingerprint, now));
          return { kind: 'claimed' };
        } catch (error) {
          if (!lostRace(error)) throw error;
        }
        const snapshot = await reference.get();
        if (!snapshot.exists) continue;
        const outcome = this.outcomeOf(snapshot, fingerprint, now);
        if (outcome) return outcome;
        // Expired (TTL not run yet) or a dead claim: take it over, unless another request just did.
        try {
          await reference.update(this.pending(fingerprint, now), { lastUpdateTime: snapshot.updateTime! });
          return { kind: 'claimed' };
        } catch (error) {
          if (!lostRace(error)) throw error;
        }
      }
    }, this.deadlineMs);
  }

  /** What an existing key means for this request; undefined when the key may be taken over. */
  private outcomeOf(snapshot: DocumentSnapshot, fingerprint: string, now: Date): ClaimOutcome | undefined {
    const expireAt = snapshot.get('expireAt') as Timestamp;
    if (expireAt.toMillis() <= now.getTime()) return undefined;
    if (snapshot.get('fingerprint') !== fingerprint) return { kind: 'mismatch' };
    if (snapshot.get('state') === 'done') return { kind: 'done', response: JSON.parse(snapshot.get('response') as string) as RecordedResponse };
    if ((snapshot.get('leaseUntil') as Timestamp).toMillis() > now.getTime()) return { kind: 'in-flight' };
    return undefined;
  }

  complete(scopedKey: string, response: RecordedResponse, now: Date): Promise<void> {
    return withFirestoreErrors(async () => {
      await this.keys
        .doc(scopedKey)
        .update({ state: 'done', response: JSON.stringify(response), expireAt: Timestamp.fromMillis(now.getTime() + this.times.ttlMs) });
    }, this.deadlineMs);
  }

  release(scopedKey: string): Promise<void> {
    return withFirestoreErrors(async () => {
      await this.keys.doc(scopedKey).delete();
    }, this.deadlineMs);
  }
}
