/**
 * Typed errors of the whole suite. Each carries a kind; the HTTP layer maps kinds to statuses in one
 * table (functions/http/error-response.ts) and event functions map them to ack-or-retry decisions.
 */
export interface ErrorDetail {
  /** Dotted path of the offending field, `(body)` for the body as a whole. */
  path: string;
  issue: string;
}

export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'sequence_exhausted'
  | 'precondition_failed'
  | 'unprocessable'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'feature_disabled'
  | 'rate_limited'
  | 'unavailable'
  | 'outcome_unknown';

export abstract class AppError extends Error {
  abstract readonly kind: ErrorKind;
  constructor(
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  readonly kind = 'validation';
  constructor(details: ErrorDetail[], message = summarize(details)) {
    super('VALIDATION_FAILED', message, details);
  }
  static single(path: string, issue: string): ValidationError {
    return new ValidationError([{ path, issue }]);
  }
}

export class UnauthenticatedError extends AppError {
  readonly kind = 'unauthenticated';
  constructor(message = 'A valid bearer token is required') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends AppError {
  readonly kind = 'forbidden';
  constructor(message: string) {
    super('PERMISSION_DENIED', message);
  }
}

export class NotFoundError extends AppError {
  readonly kind = 'not_found';
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class MethodNotAllowedError extends AppError {
  readonly kind = 'method_not_allowed';
  constructor(
    message: string,
    readonly allowed: string[],
  ) {
    super('METHOD_NOT_ALLOWED', message);
  }
}

export class ConflictError extends AppError {
  readonly kind = 'conflict';
  constructor(message: string, details: ErrorDetail[] = []) {
    super('CONFLICT', message, details);
  }
}

/**
 * A taxonomy path has given out its last sequence number: sequences are three digits (001-999) and
 * numbers are never given out twice, so nothing more can be named there.
 */
export class SequenceExhaustedError extends AppError {
  readonly kind = 'sequence_exhausted';
  constructor(
    readonly sequenceKey: string,
    readonly capacity: number,
  ) {
    super('SEQUENCE_EXHAUSTED', `${sequenceKey} is full: its ${capacity} numbers are used`, [
      { path: 'subcategory', issue: `${sequenceKey} has no number left (001-${String(capacity).padStart(3, '0')}); choose another subcategory` },
    ]);
  }
}

export class PreconditionFailedError extends AppError {
  readonly kind = 'precondition_failed';
  constructor(message = 'The asset changed since it was read (If-Match does not match its ETag)') {
    super('PRECONDITION_FAILED', message);
  }
}

/** Well-formed, but refused in its context (an Idempotency-Key reused with another body). */
export class UnprocessableError extends AppError {
  readonly kind = 'unprocessable';
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super(code, message, details);
  }
}

export class PayloadTooLargeError extends AppError {
  readonly kind = 'payload_too_large';
  constructor(
    readonly limitBytes: number,
    /** What is over the limit, with its verb. */
    subject = 'The request body exceeds',
  ) {
    super('PAYLOAD_TOO_LARGE', `${subject} the limit of ${limitBytes} bytes (${formatSize(limitBytes)}) for this route`);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  readonly kind = 'unsupported_media_type';
  constructor(received: string, accepted: string[]) {
    super('UNSUPPORTED_MEDIA_TYPE', `Content-Type ${received || '(none)'} is not supported; use ${accepted.join(' or ')}`);
  }
}

export class FeatureDisabledError extends AppError {
  readonly kind = 'feature_disabled';
  constructor(flag: string, message: string) {
    super('FEATURE_DISABLED', message, [{ path: flag, issue: 'feature flag is off' }]);
  }
}

export class RateLimitedError extends AppError {
  readonly kind = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('RATE_LIMITED', message);
  }
}

/** A dependency (Firestore, Pub/Sub, storage) is unreachable or overloaded: the caller may retry. */
export class ServiceUnavailableError extends AppError {
  readonly kind = 'unavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
  ) {
    super('SERVICE_UNAVAILABLE', message);
  }
}

/**
 * A write whose outcome cannot be known: the database was asked to commit it and did not say
 * whether it did before the deadline (or failed in a way that does not tell). The client retries
 * with the same Idempotency-Key (which answers what the first request did, or does it once), or
 * reads before retrying. Every other 5xx of a write means nothing was written.
 */
export class OutcomeUnknownError extends AppError {
  readonly kind = 'outcome_unknown';
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
  ) {
    super('OUTCOME_UNKNOWN', message);
  }
}

function summarize(details: ErrorDetail[]): string {
  if (details.length === 0) return 'The request is invalid';
  const first = details[0]!;
  const rest = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
  return `${first.path}: ${first.issue}${rest}`;
}

function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}
