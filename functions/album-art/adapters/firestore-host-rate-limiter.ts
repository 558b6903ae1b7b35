/**
 * A request budget per host and minute shared by every instance: one Firestore document per host
 * and minute window, incremented in a transaction. `expireAt` lets a TTL policy remove old windows.
 */
import { Timestamp, type CollectionReference, type Firestore } from '@google-cloud/firestore';
import { withFirestoreErrors } from '../../adapters/firestore/firestore-errors.js';
import { HOST_RATE_LIMIT_COLLECTION } from '../../adapters/firestore/stored-names.js';

const WINDOW_MS = 60_000;

export class FirestoreHostRateLimiter {
  private readonly windows: CollectionReference;

  constructor(
    db: Firestore,
    private readonly perMinute: number,
    private readonly deadlineMs?: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.windows = db.collection(HOST_RATE_LIMIT_COLLECTION);
  }

  /** Takes one request from the host's budget; false when this minute's budget is spent. */
  async tryAcquire(host: string): Promise<boolean> {
    if (this.perMinute === 0) return true;
    const window = Math.floor(this.clock() / WINDOW_MS);
    const reference = this.windows.doc(`${encodeURIComponent(host)}_${window}`);
    return withFirestoreErrors(
      () =>
        this.windows.firestore.runTransaction(async (transaction) => {
          const snapshot = await transaction.get(reference);
          const used = snapshot.exists ? (snapshot.get('count') as number) : 0;
          if (used >= this.perMinute) return false;
          transaction.set(reference, { host, window, count: used + 1, expireAt: Timestamp.fromMillis((window + 2) * WINDOW_MS) });
          return true;
        }),
      this.deadlineMs,
    );
  }
}
