/**
 * The one place where errors become HTTP statuses and the error envelope
 * `{ success: false, error: { code, message, details } }`. Nothing else picks a status for a failure.
 */
import { randomUUID } from 'node:crypto';
import {
  AppError,
  MethodNotAllowedError,
  OutcomeUnknownError,
  RateLimitedError,
  ServiceUnavailableError,
  type ErrorDetail,
  type ErrorKind,
} from '../domain/errors.js';
import type { Logger } from '../platform/logger.js';

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: 400,
  feature_disabled: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  sequence_exhausted: 409,
  precondition_failed: 412,
  unprocessable: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  // Also 503: what to do is in the code (retry with the same Idempotency-Key, or read first).
  outcome_unknown: 503,
};

/** The status of an error kind, for answers that report a failure in their own body (readiness). */
export function statusOfKind(kind: ErrorKind): number {
  return STATUS_BY_KIND[kind];
}

interface ErrorEnvelope {
  success: false;
  error: { code: string; message: string; details: ErrorDetail[] };
}

export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: ErrorEnvelope;
}

/** Turns any thrown value into the reply a client gets; unexpected errors are logged, never shown. */
export function errorReply(error: unknown, logger: Logger): ErrorReply {
  if (error instanceof AppError) {
    const headers: Record<string, string> = {};
    if (error instanceof ServiceUnavailableError || error instanceof RateLimitedError || error instanceof OutcomeUnknownError) {
      headers['Retry-After'] = String(error.retryAfterSeconds);
    }
    if (error instanceof MethodNotAllowedError) headers['Allow'] = error.allowed.join(', ');
    if (error.kind === 'unavailable') logger.warn('dependency unavailable', { error });
    if (error.kind === 'outcome_unknown') logger.warn('write outcome unknown', { error });
    return {
      status: STATUS_BY_KIND[error.kind],
      headers,
      body: { success: false, error: { code: error.code, message: error.message, details: error.details } },
    };
  }
  const reference = randomUUID();
  logger.error('unhandled error', { error, reference });
  return {
    status: 500,
    headers: {},
    body: { success: false, error: { code: 'INTERNAL', message: `Internal error (reference ${reference})`, details: [] } },
  };
}
