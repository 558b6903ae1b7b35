import { AppError, ServiceUnavailableError } from '../../domain/errors.js';

/** gRPC status codes that mean "try again later" rather than "this request is wrong". */
const TRANSIENT_CODES = new Set([
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED
  10, // ABORTED (transaction contention that outlived its retries)
  14, // UNAVAILABLE
]);

export function isTransientFirestoreError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && TRANSIENT_CODES.has(code);
}

/**
 * Runs a Firestore operation, turning transient failures into ServiceUnavailableError (503). The
 * client retries an unreachable backend for as long as it takes, so the operation also gets a
 * deadline: past it the caller answers 503 at once. A write that outlives its deadline may still
 * be applied when the database returns; the 503 says so.
 */
const DEFAULT_FIRESTORE_DEADLINE_MS = 15_000;

export async function withFirestoreErrors<T>(operation: () => Promise<T>, deadlineMs = DEFAULT_FIRESTORE_DEADLINE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ServiceUnavailableError(`The database did not answer within ${deadlineMs} ms; a change may still be applied, so read before retrying`)),
      deadlineMs,
    );
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
