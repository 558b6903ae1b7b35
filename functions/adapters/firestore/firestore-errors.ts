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

/** Runs a Firestore operation, turning transient failures into ServiceUnavailableError (503). */
export async function withFirestoreErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (isTransientFirestoreError(error)) {
      throw new ServiceUnavailableError(`The database is unavailable: ${(error as Error).message}`);
    }
    throw error;
  }
}
