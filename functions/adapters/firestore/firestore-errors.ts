import { AppError, OutcomeUnknownError, ServiceUnavailableError } from '../../domain/errors.js';
import { hasGrpcStatus, type GrpcStatusName } from './grpc-status.js';

/** gRPC statuses that mean "try again later" rather than "this request is wrong" (ABORTED: contention that outlived its retries). */
const TRANSIENT_STATUSES: readonly GrpcStatusName[] = ['DEADLINE_EXCEEDED', 'RESOURCE_EXHAUSTED', 'ABORTED', 'UNAVAILABLE'];

export function isTransientFirestoreError(error: unknown): boolean {
  return hasGrpcStatus(error, TRANSIENT_STATUSES);
}

/**
 * Runs a Firestore read (or bookkeeping whose late landing does no harm), turning transient
 * failures into ServiceUnavailableError (503). The client retries an unreachable backend for as
 * long as it takes, so the operation also gets a deadline: past it the caller answers 503 at once.
 * Writes of assets go through runTransactionWithin (deadline-transaction.ts), which never commits
 * after its deadline, or withFirestoreWrite below.
 */
const DEFAULT_FIRESTORE_DEADLINE_MS = 15_000;

export function withFirestoreErrors<T>(operation: () => Promise<T>, deadlineMs = DEFAULT_FIRESTORE_DEADLINE_MS): Promise<T> {
  return raced(operation, deadlineMs, () => new ServiceUnavailableError(`The database did not answer within ${deadlineMs} ms; retry shortly`));
}

/**
 * A single write outside a transaction (a delete, an update): once sent it cannot be called back,
 * so past the deadline its outcome is unknown, and the answer says so (503 OUTCOME_UNKNOWN).
 */
export function withFirestoreWrite<T>(operation: () => Promise<T>, deadlineMs = DEFAULT_FIRESTORE_DEADLINE_MS): Promise<T> {
  return raced(
    operation,
    deadlineMs,
    () => new OutcomeUnknownError(`The database did not confirm this write within ${deadlineMs} ms: it may have been applied; read before retrying`),
  );
}

async function raced<T>(operation: () => Promise<T>, deadlineMs: number, pastDeadline: () => AppError): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(pastDeadline()), deadlineMs);
  });
  try {
    return await Promise.race([operation(), deadline]);
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (isTransientFirestoreError(error)) {
      throw new ServiceUnavailableError(`The database is unavailable: ${(error as Error).message}`);
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
