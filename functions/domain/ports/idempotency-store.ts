/** The first response to an idempotent request, replayed as is to every retry with the same key. */
export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  /** The response data as JSON text, so a replay is byte-for-byte the first answer. */
  data: string;
}

/**
 * The claim a write carries into its own transaction: the write commits only while the key is
 * still this request's claim, and records in that same commit what it wrote. A request whose
 * outcome was unknown is thus either recorded (a retry answers from what it wrote) or never lands
 * after a retry took the key over.
 */
export interface WriteFence {
  readonly key: string;
  readonly token: string;
}

export type ClaimOutcome =
  /** This request owns the key: do the work (carrying the fence into its write), then complete or release. */
  | { kind: 'claimed'; fence: WriteFence }
  | { kind: 'done'; response: RecordedResponse }
  /**
   * A request with the key committed its write (to `target`, an asset id) and then never recorded
   * its answer (it died, or its outcome was answered as unknown): answer from what it wrote.
   */
  | { kind: 'committed'; target: string }
  /** Another request with the key is running (its lease has not run out). */
  | { kind: 'in-flight' }
  /** The key was used with another request body. */
  | { kind: 'mismatch' };

/** Idempotency keys, scoped by the caller; they expire after a while (TTL). */
export interface IdempotencyStore {
  claim(scopedKey: string, fingerprint: string, now: Date): Promise<ClaimOutcome>;
  complete(scopedKey: string, response: RecordedResponse, now: Date): Promise<void>;
  /**
   * Gives the claim up after a failure, so that a retry does the work; kept when its write was
   * committed, and never another request's claim. When the database does not answer, the store
   * keeps trying in the background (and rejects); a claim that answered past its deadline is given
   * back the same way should it land after all.
   */
  release(fence: WriteFence): Promise<void>;
}
