/**
 * Why an album-art job did not store its image. Permanent failures mark the asset failed and ack
 * the message; retryable ones throw, so Pub/Sub redelivers with backoff until attempts run out.
 */
export type AlbumArtFailureCode =
  | 'INVALID_JOB'
  | 'INVALID_URL'
  | 'SCHEME_NOT_ALLOWED'
  | 'HOST_NOT_ALLOWED'
  | 'ADDRESS_REFUSED'
  | 'HOST_NOT_FOUND'
  | 'TOO_MANY_REDIRECTS'
  | 'SOURCE_NOT_FOUND'
  | 'SOURCE_REFUSED'
  | 'TOO_LARGE'
  | 'NOT_AN_IMAGE'
  | 'UNSUPPORTED_FORMAT'
  | 'TOO_MANY_PIXELS'
  | 'CORRUPT_IMAGE'
  | 'VIRUS_DETECTED'
  // Retryable:
  | 'CONNECT_TIMEOUT'
  | 'IDLE_TIMEOUT'
  | 'DEADLINE_EXCEEDED'
  | 'NETWORK_ERROR'
  | 'SOURCE_RATE_LIMITED'
  | 'SOURCE_UNAVAILABLE'
  | 'SCANNER_UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'INTERNAL';

const RETRYABLE = new Set<AlbumArtFailureCode>([
  'CONNECT_TIMEOUT',
  'IDLE_TIMEOUT',
  'DEADLINE_EXCEEDED',
  'NETWORK_ERROR',
  'SOURCE_RATE_LIMITED',
  'SOURCE_UNAVAILABLE',
  'SCANNER_UNAVAILABLE',
  'RATE_LIMITED',
  'INTERNAL',
]);

export class AlbumArtJobError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code: AlbumArtFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'AlbumArtJobError';
    this.retryable = RETRYABLE.has(code);
  }
}

/** Anything else (a Firestore or storage outage, a bug) is retried: the job must not be lost. */
export function asJobError(error: unknown): AlbumArtJobError {
  if (error instanceof AlbumArtJobError) return error;
  return new AlbumArtJobError('INTERNAL', error instanceof Error ? error.message : String(error));
}
