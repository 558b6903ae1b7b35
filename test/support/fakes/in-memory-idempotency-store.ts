/**
 * Idempotency keys in memory, with the Firestore store's times: a claim holds for `leaseMs` (after
 * that another request may take the key over: the first one died), a key is remembered for `ttlMs`.
 */
import { randomUUID } from 'node:crypto';
import type { IdempotencyTimes } from '../../../functions/adapters/firestore/firestore-idempotency-store.js';
import type { ClaimOutcome, IdempotencyStore, RecordedResponse, WriteFence } from '../../../functions/domain/ports/idempotency-store.js';

interface KeyRecord {
  state: 'pending' | 'done';
  fingerprint: string;
  /** The claim's fence token: a release gives up only its own claim. */
  token: string;
  leaseUntil: number;
  expireAt: number;
  /** The recorded response as JSON text, so that a replay is a copy, never the object itself. */
  response?: string;
}

export class InMemoryIdempotencyStore implements IdempotencyStore {
  private readonly keys = new Map<string, KeyRecord>();

  constructor(private readonly times: IdempotencyTimes) {}

  private pending(fingerprint: string, now: Date, token: string): KeyRecord {
    return { state: 'pending', fingerprint, token, leaseUntil: now.getTime() + this.times.leaseMs, expireAt: now.getTime() + this.times.ttlMs };
  }

  claim(scopedKey: string, fingerprint: string, now: Date): Promise<ClaimOutcome> {
    const existing = this.keys.get(scopedKey);
    const at = now.getTime();
    if (existing && existing.expireAt > at) {
      if (existing.fingerprint !== fingerprint) return Promise.resolve({ kind: 'mismatch' });
      if (existing.state === 'done') return Promise.resolve({ kind: 'done', response: JSON.parse(existing.response!) as RecordedResponse });
      if (existing.leaseUntil > at) return Promise.resolve({ kind: 'in-flight' });
    }
    // New, expired (its TTL not run yet) or a dead claim: this request takes it.
    // The fence names this claim; the in-memory asset store takes it and ignores it (its writes do not
    // outlive their request, so none can land after a retry took the key over).
    const fence = { key: scopedKey, token: randomUUID() };
    this.keys.set(scopedKey, this.pending(fingerprint, now, fence.token));
    return Promise.resolve({ kind: 'claimed', fence });
  }

  complete(scopedKey: string, response: RecordedResponse, now: Date): Promise<void> {
    const existing = this.keys.get(scopedKey);
    // Firestore's update of a missing document fails the same way: the key was released or never claimed.
    if (!existing) return Promise.reject(new Error(`No idempotency key ${scopedKey} to complete`));
    this.keys.set(scopedKey, { ...existing, state: 'done', response: JSON.stringify(response), expireAt: now.getTime() + this.times.ttlMs });
    return Promise.resolve();
  }

  release(fence: WriteFence): Promise<void> {
    const existing = this.keys.get(fence.key);
    if (existing?.state === 'pending' && existing.token === fence.token) this.keys.delete(fence.key);
    return Promise.resolve();
  }
}
