/**
 * A Firestore transaction that cannot outlive its request. The client library retries a failed
 * transaction up to its attempts with back-off of up to a minute, and racing it against a timer (as
 * reads are, firestore-errors.ts) answered the client but left the attempts running: a create
 * answered 503 then committed minutes later, and held its subcategory's lock all along.
 *
 * Here every attempt checks the deadline when it starts and again just before it hands its writes
 * to the library to commit. So at the deadline either no commit has been sent, and none ever will
 * be (503 SERVICE_UNAVAILABLE: nothing was written), or one has, and the answer says the outcome is
 * unknown (503 OUTCOME_UNKNOWN). The lock a caller holds around the transaction is given up at the
 * deadline as well. The library keeps its own retries (contention retries carry the previous
 * transaction's id, which keeps two instances contending for one counter from starving each
 * other); an attempt past the deadline throws instead of running, which ends them.
 */
import type { Firestore, Transaction } from '@google-cloud/firestore';
import { OutcomeUnknownError, ServiceUnavailableError } from '../../domain/errors.js';
import type { KeyedMutex } from '../../platform/keyed-mutex.js';
import { isTransientFirestoreError } from './firestore-errors.js';
import { hasGrpcStatus, type GrpcStatusName } from './grpc-status.js';

/** gRPC statuses after which a commit may or may not have been applied. */
const AMBIGUOUS_AFTER_COMMIT: readonly GrpcStatusName[] = ['CANCELLED', 'UNKNOWN', 'DEADLINE_EXCEEDED', 'INTERNAL', 'UNAVAILABLE'];

/** Thrown inside an attempt that would start or commit after the deadline: the attempt rolls back. */
class PastDeadline extends Error {}

export interface TransactionLimits {
  /** From the call: waiting for the lock counts too. */
  deadlineMs: number;
  /** The library's attempts at most (contention retries), all within the deadline. */
  maxAttempts: number;
  /** Taken around the attempts (per-key queueing within the instance), held at most until the deadline. */
  lock?: { mutex: KeyedMutex; key: string };
}

/**
 * Runs `body` in a transaction within the deadline; its AppErrors (not found, conflict, validation)
 * come out as they are, with nothing written.
 */
export async function runTransactionWithin<T>(db: Firestore, limits: TransactionLimits, body: (transaction: Transaction) => Promise<T>): Promise<T> {
  const state = { expired: false, committing: false };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      state.expired = true;
      reject(
        state.committing
          ? new OutcomeUnknownError(
              `The database did not confirm this write within ${limits.deadlineMs} ms: it may have been applied. Retry with the same Idempotency-Key, or read before retrying.`,
            )
          : new ServiceUnavailableError(`The database did not answer within ${limits.deadlineMs} ms; nothing was written, so the request can be retried`),
      );
    }, limits.deadlineMs);
  });
  const attempts = async (): Promise<T> => {
    try {
      return await db.runTransaction(
        async (transaction) => {
          if (state.expired) throw new PastDeadline();
          state.committing = false;
          const result = await body(transaction);
          // From here the library sends the commit; nothing asynchronous runs in between.
          if (state.expired) throw new PastDeadline();
          state.committing = true;
          return result;
        },
        { maxAttempts: limits.maxAttempts },
      );
    } catch (error) {
      if (state.committing && hasGrpcStatus(error, AMBIGUOUS_AFTER_COMMIT)) {
        throw new OutcomeUnknownError(
          `The database failed while committing this write (${(error as Error).message}): it may have been applied. Retry with the same Idempotency-Key, or read before retrying.`,
        );
      }
      if (isTransientFirestoreError(error))
        throw new ServiceUnavailableError(`The database is busy or unavailable (${(error as Error).message}); nothing was written`);
      throw error;
    }
  };
  const bounded = () => Promise.race([attempts(), deadline]);
  try {
    return await Promise.race([limits.lock ? limits.lock.mutex.run(limits.lock.key, bounded) : bounded(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
