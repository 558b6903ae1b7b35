/** The wait of a retry whose key is in flight, with a fake store (the emulator suite covers the real one). */
import { expect } from 'chai';
import { ConflictError } from '../../functions/domain/errors.js';
import type { ClaimOutcome, IdempotencyStore, RecordedResponse } from '../../functions/domain/ports/idempotency-store.js';
import { Idempotency } from '../../functions/api/idempotency.js';

class ScriptedStore implements IdempotencyStore {
  claims = 0;
  constructor(private readonly outcomes: (claim: number) => ClaimOutcome) {}
  claim(): Promise<ClaimOutcome> {
    return Promise.resolve(this.outcomes(++this.claims));
  }
  complete(): Promise<void> {
    return Promise.resolve();
  }
  release(): Promise<void> {
    return Promise.resolve();
  }
}

const request = { caller: 'editor@example.com', key: 'k', fingerprintOf: { body: 1 } };
const neverRuns = () => Promise.reject(new Error('the work must not run for a retry'));
const nothing = () => Promise.resolve();

describe('Idempotency-Key: a retry while the first request runs', () => {
  it('waits and returns the first response once it is recorded', async () => {
    const response: RecordedResponse = { status: 201, headers: { ETag: '"e"' }, data: '{"id":"a"}' };
    const store = new ScriptedStore((claim) => (claim < 3 ? { kind: 'in-flight' } : { kind: 'done', response }));
    const result = await new Idempotency(store, 5_000).run(request, neverRuns, nothing);
    expect(result).to.deep.equal({ status: 201, headers: { ETag: '"e"' }, data: { id: 'a' } });
    expect(store.claims).to.equal(3);
  });

  it('answers 409 when the first request is still running after the wait', async () => {
    const store = new ScriptedStore(() => ({ kind: 'in-flight' }));
    const error = await new Idempotency(store, 120).run(request, neverRuns, nothing).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).to.be.instanceOf(ConflictError);
  });
});
