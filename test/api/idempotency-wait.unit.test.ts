/** The wait of a retry whose key is in flight, over the in-memory store (held to the Firestore store's contract). */
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RouteResult } from '../../functions/api/http-types.js';
import { Idempotency } from '../../functions/api/idempotency.js';
import { ConflictError } from '../../functions/domain/errors.js';
import { InMemoryIdempotencyStore } from '../support/fakes/in-memory-idempotency-store.js';

const request = { caller: 'editor@example.com', key: 'k', fingerprintOf: { body: 1 } };
const neverRuns = () => Promise.reject(new Error('the work must not run for a retry'));
const nothing = () => Promise.resolve();
const TIMES = { ttlMs: 60_000, leaseMs: 60_000 };
const FIRST: RouteResult = { status: 201, headers: { ETag: '"e"' }, data: { id: 'a' } };

/** Counts the claims the retry makes while it waits. */
class CountingStore extends InMemoryIdempotencyStore {
  claims = 0;
  override claim(...args: Parameters<InMemoryIdempotencyStore['claim']>) {
    this.claims++;
    return super.claim(...args);
  }
}

/** The first request, through the same Idempotency: its work answers after `milliseconds`. */
async function firstRequest(idempotency: Idempotency, milliseconds: number): Promise<{ answer: Promise<RouteResult> }> {
  const answer = idempotency.run(request, () => sleep(milliseconds, FIRST), nothing);
  await sleep(5);
  return { answer };
}

describe('Idempotency-Key: a retry while the first request runs', () => {
  it('waits and returns the first response once it is recorded', async () => {
    const store = new CountingStore(TIMES);
    const idempotency = new Idempotency(store, 5_000);
    const first = await firstRequest(idempotency, 150);
    const retry = await idempotency.run(request, neverRuns, nothing);
    expect(retry).to.deep.equal(FIRST);
    expect(await first.answer).to.deep.equal(FIRST);
    // The first claim, then the retry's: in flight at least once, then done.
    expect(store.claims).to.be.greaterThan(2);
  });

  it('answers 409 when the first request is still running after the wait', async () => {
    const store = new CountingStore(TIMES);
    const first = await firstRequest(new Idempotency(store, 5_000), 400);
    const error = await new Idempotency(store, 120).run(request, neverRuns, nothing).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).to.be.instanceOf(ConflictError);
    expect(await first.answer).to.deep.equal(FIRST);
  });
});
