/**
 * `Idempotency-Key` on creating requests: the same key and body get the first response again,
 * without a second effect; another body with the key is 422; a retry while the first request runs
 * waits for it, and gets 409 if it takes too long. Keys are scoped per caller.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError, UnprocessableError, ValidationError } from '../domain/errors.js';
import type { IdempotencyStore, RecordedResponse } from '../domain/ports/idempotency-store.js';
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

export class Idempotency {
  constructor(
    private readonly store: IdempotencyStore,
    /** How long a retry waits for the first request before answering 409. */
    private readonly waitMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Runs `work` once per key. `onReplay` runs when the answer is a replay (to drop what the retry
   * staged, its upload).
   */
  async run(request: IdempotentRequest, work: () => Promise<RouteResult>, onReplay: () => Promise<void>): Promise<RouteResult> {
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
        await onReplay();
        return replayOf(outcome.response);
      }
      if (outcome.kind === 'claimed') return this.runClaimed(scopedKey, work);
      if (this.clock().getTime() >= waitUntil) {
        throw new ConflictError('A request with this Idempotency-Key is still in progress; retry it in a moment');
      }
      await sleep(POLL_MS);
    }
  }

  private async runClaimed(scopedKey: string, work: () => Promise<RouteResult>): Promise<RouteResult> {
    let result: RouteResult;
    try {
      result = await work();
    } catch (error) {
      // Failed requests changed nothing, so a retry with the key may do the work.
      await this.store.release(scopedKey);
      throw error;
    }
    const recorded: RecordedResponse = { status: result.status ?? 200, headers: result.headers ?? {}, data: JSON.stringify(result.data ?? null) };
    await this.store.complete(scopedKey, recorded, this.clock());
    return replayOf(recorded);
  }
}

function replayOf(response: RecordedResponse): RouteResult {
  return { status: response.status, headers: { ...response.headers }, data: JSON.parse(response.data) as unknown };
}
