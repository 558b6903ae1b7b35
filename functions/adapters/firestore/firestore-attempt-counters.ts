/**
 * Attempt counters in Firestore (the AttemptCounters port): one document per key and fixed window,
 * `{ count, expireAt }`, changed only by atomic increments, so a burst of attempts on one account
 * never contends in transactions (fifty of them at once is the case this exists for). An attempt
 * increments its budgets' documents in one batch and then reads them: if any is over its limit
 * the attempt is refused and its increments are taken back. Concurrent attempts may thus refuse
 * one another a little early, never let more than `limit` through. `expireAt` (a window after the
 * window) lets a TTL policy remove old windows. Self-contained: only the Firestore client and the
 * error mapping.
 */
import { createHash } from 'node:crypto';
import { FieldValue, Timestamp, type CollectionReference, type Firestore, type WriteBatch } from '@google-cloud/firestore';
import { SIGN_IN_THROTTLE_COLLECTION } from './stored-names.js';
import type { AttemptBudget, AttemptCounters, TakenAttempt, TakeOutcome } from '../../domain/ports/attempt-counters.js';
import { withFirestoreErrors } from './firestore-errors.js';

export class FirestoreAttemptCounters implements AttemptCounters {
  private readonly windows: CollectionReference;

  constructor(
    db: Firestore,
    private readonly deadlineMs?: number,
    collection = SIGN_IN_THROTTLE_COLLECTION,
  ) {
    this.windows = db.collection(collection);
  }

  /** Keys may hold what must not be a document id or be stored as such (an email): hashed. */
  private doc(key: string, window: number) {
    return this.windows.doc(`${createHash('sha256').update(key).digest('base64url')}_${window}`);
  }

  take(budgets: readonly AttemptBudget[], now: Date): Promise<TakeOutcome> {
    return withFirestoreErrors(async () => {
      const counted = budgets.map((budget) => ({ key: budget.key, window: Math.floor(now.getTime() / budget.windowMs), windowMs: budget.windowMs }));
      if (counted.length === 0) return { granted: true, taken: { counted } };
      const references = counted.map((entry) => this.doc(entry.key, entry.window));
      const batch = this.windows.firestore.batch();
      for (const entry of counted) this.adjust(batch, entry, 1);
      await batch.commit();
      const snapshots = await this.windows.firestore.getAll(...references);
      let retryAfterMs = 0;
      budgets.forEach((budget, index) => {
        const count = (snapshots[index]!.get('count') as number | undefined) ?? 0;
        if (count > budget.limit) retryAfterMs = Math.max(retryAfterMs, (counted[index]!.window + 1) * budget.windowMs - now.getTime());
      });
      if (retryAfterMs === 0) return { granted: true, taken: { counted } };
      await this.decrement({ counted });
      return { granted: false, retryAfterMs };
    }, this.deadlineMs);
  }

  giveBack(taken: TakenAttempt, clear: readonly string[]): Promise<void> {
    return withFirestoreErrors(async () => {
      const batch = this.windows.firestore.batch();
      for (const entry of taken.counted) {
        if (clear.includes(entry.key)) batch.delete(this.doc(entry.key, entry.window));
        else this.adjust(batch, entry, -1);
      }
      await batch.commit();
    }, this.deadlineMs);
  }

  private async decrement(taken: TakenAttempt): Promise<void> {
    const batch = this.windows.firestore.batch();
    for (const entry of taken.counted) this.adjust(batch, entry, -1);
    await batch.commit();
  }

  /** An increment that also creates the window's document (a cleared one may be gone). */
  private adjust(batch: WriteBatch, entry: TakenAttempt['counted'][number], by: number): void {
    const expireAt = Timestamp.fromMillis((entry.window + 2) * entry.windowMs);
    batch.set(this.doc(entry.key, entry.window), { count: FieldValue.increment(by), expireAt }, { merge: true });
  }
}
