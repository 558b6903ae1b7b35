/**
 * `Idempotency-Key` on creating requests: the same key and body get the first response again,
 * without a second effect; another body with the key is 422; a retry while the first request runs
 * waits for it, and gets 409 if it takes too long. Keys are scoped per caller. The work's write
 * carries the claim's fence into its transaction, so a request answered "outcome unknown" is
 * either recorded as written (a retry answers from what it wrote, `replayWritten`) or can no
 * longer land once a retry has taken the key over after its lease.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError, OutcomeUnknownError, UnprocessableError, ValidationError } from '../domain/errors.js';
import type { IdempotencyStore, RecordedResponse, WriteFence } from '../domain/ports/idempotency-store.js';
import type { ApiRequest, RouteResult } from './http-types.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const POLL_MS = 50;

/** The request's Idempotency-Key, validated; undefined when it has none. */
export function idempotencyKeyOf(request: ApiRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw ValidationError.single('Idempotency-Key', 'must be 1 to 255 visible ASCII characters (a UUID is a good key)');
  }
  return key;
}

/** Canonical JSON: object keys sorted, so that the same body always gives the same fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface IdempotentRequest {
  caller: string;
  key: string;
  /** What identifies the request: route, path parameters, parsed body (and an upload's description). */
  fingerprintOf: unknown;
}

export interface IdempotentWork {
  /** Does the work once; its write commits under `fence`. */
  run(fence: WriteFence): Promise<RouteResult>;
  /** When the answer is a replay: drops what the retry staged (its upload). */
  onReplay(): Promise<void>;
  /** The answer of a request that wrote `target` and never recorded its answer. */
  replayWritten(target: string): Promise<RouteResult>;
}

export class Idempotency {
  constructor(
    private readonly store: IdempotencyStore,
    /** How long a retry waits for the first request before answering 409. */
    private readonly waitMs: number,
    private readonly clock: () => Date = () => new Date(),
    /** Told when the answer of a written request could not be recorded (a retry then answers from what it wrote). */
    private readonly onRecordFailure: (error: unknown) => void = () => undefined,
    /** Told when a failed request's key could not be given back at once (the store keeps trying). */
    private readonly onReleaseFailure: (error: unknown) => void = () => undefined,
  ) {}

  /** Runs the work once per key. */
  async run(request: IdempotentRequest, work: IdempotentWork): Promise<RouteResult> {
    const scopedKey = sha256(`${request.caller}\n${request.key}`);
    const fingerprint = sha256(canonical(request.fingerprintOf));
    const waitUntil = this.clock().getTime() + this.waitMs;
    for (;;) {
      const outcome = await this.store.claim(scopedKey, fingerprint, this.clock());
      if (outcome.kind === 'mismatch') {
        throw new UnprocessableError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with another request; use a new key for a new request', [
          { path: 'Idempotency-Key', issue: 'was used with a different body' },
        ]);
      }
      if (outcome.kind === 'done') {
        await work.onReplay();
        return replayOf(outcome.response);
      }
      if (outcome.kind === 'committed') {
        await work.onReplay();
        return this.record(scopedKey, await work.replayWritten(outcome.target));
      }
      if (outcome.kind === 'claimed') return this.runClaimed(scopedKey, outcome.fence, work);
      if (this.clock().getTime() >= waitUntil) {
        throw new ConflictError('A request with this Idempotency-Key is still in progress; retry it in a moment');
      }
      await sleep(POLL_MS);
    }
  }

  private async runClaimed(scopedKey: string, fence: WriteFence, work: IdempotentWork): Promise<RouteResult> {
    let result: RouteResult;
    try {
      result = await work.run(fence);
    } catch (error) {
      // The write may have landed: the key stays claimed, and records the write if it did.
      if (error instanceof OutcomeUnknownError) throw error;
      // Failed requests changed nothing, so a retry with the key may do the work. A release the
      // database did not take is retried by the store; the answer stays this failure's own.
      await this.store.release(fence).catch((releaseError: unknown) => this.onReleaseFailure(releaseError));
      throw error;
    }
    return this.record(scopedKey, result);
  }

  /**
   * Records the answer for later retries. The write is committed by now (its key says so), so a
   * failure to record is no reason to answer this request with an error: a retry answers from what
   * was written instead.
   */
  private async record(scopedKey: string, result: RouteResult): Promise<RouteResult> {
    const recorded: RecordedResponse = { status: result.status ?? 200, headers: result.headers ?? {}, data: JSON.stringify(result.data ?? null) };
    try {
      await this.store.complete(scopedKey, recorded, this.clock());
    } catch (error) {
      this.onRecordFailure(error);
    }
    return replayOf(recorded);
  }
}

function replayOf(response: RecordedResponse): RouteResult {
  return { status: response.status, headers: { ...response.headers }, data: JSON.parse(response.data) as unknown };
}
