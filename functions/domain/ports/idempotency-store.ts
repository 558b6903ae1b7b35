/** The first response to an idempotent request, replayed as is to every retry with the same key. */
export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  /** The response data as JSON text, so a replay is byte-for-byte the first answer. */
  data: string;
}

export type ClaimOutcome =
  /** This request owns the key: do the work, then complete or release. */
  | { kind: 'claimed' }
  | { kind: 'done'; response: RecordedResponse }
  /** Another request with the key is running (its lease has not run out). */
  | { kind: 'in-flight' }
  /** The key was used with another request body. */
  | { kind: 'mismatch' };

/** Idempotency keys, scoped by the caller; they expire after a while (TTL). */
export interface IdempotencyStore {
  claim(scopedKey: string, fingerprint: string, now: Date): Promise<ClaimOutcome>;
  complete(scopedKey: string, response: RecordedResponse, now: Date): Promise<void>;
  /** Gives the key up after a failure, so that a retry does the work (nothing was done). */
  release(scopedKey: string): Promise<void>;
}
