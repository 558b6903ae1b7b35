/** The wait of a retry whose key is in flight, with a fake store (the emulator suite covers the real one). */
import { expect } from 'chai';
import { ConflictError, OutcomeUnknownError, ServiceUnavailableError } from '../../functions/domain/errors.js';
import type { ClaimOutcome, IdempotencyStore, RecordedResponse } from '../../functions/domain/ports/idempotency-store.js';
import { Idempotency } from '../../functions/http/idempotency.js';

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
const neverRuns = {
  run: () => Promise.reject(new Error('the work must not run for a retry')),
  onReplay: () => Promise.resolve(),
  replayWritten: () => Promise.reject(new Error('nothing was written')),
};

describe('Idempotency-Key: a retry while the first request runs', () => {
  it('waits and returns the first response once it is recorded', async () => {
    const response: RecordedResponse = { status: 201, headers: { ETag: '"e"' }, data: '{"id":"a"}' };
    const store = new ScriptedStore((claim) => (claim < 3 ? { kind: 'in-flight' } : { kind: 'done', response }));
    const result = await new Idempotency(store, 5_000).run(request, neverRuns);
    expect(result).to.deep.equal({ status: 201, headers: { ETag: '"e"' }, data: { id: 'a' } });
    expect(store.claims).to.equal(3);
  });

  it('answers 409 when the first request is still running after the wait', async () => {
    const store = new ScriptedStore(() => ({ kind: 'in-flight' }));
    const error = await new Idempotency(store, 120).run(request, neverRuns).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).to.be.instanceOf(ConflictError);
  });
});

describe('Idempotency-Key: a request whose outcome was unknown', () => {
  class RecordingStore extends ScriptedStore {
    released = 0;
    completed: RecordedResponse[] = [];
    override release(): Promise<void> {
      this.released++;
      return Promise.resolve();
    }
    override complete(_key?: string, response?: RecordedResponse): Promise<void> {
      this.completed.push(response!);
      return Promise.resolve();
    }
  }
  const fence = { key: 'scoped', token: 't' };

  it('keeps the key claimed when the write may have landed, and releases it when nothing was written', async () => {
    const store = new RecordingStore(() => ({ kind: 'claimed', fence }));
    const idempotency = new Idempotency(store, 1_000);
    const unknown = await idempotency.run(request, { ...neverRuns, run: () => Promise.reject(new OutcomeUnknownError('maybe')) }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(unknown).to.be.instanceOf(OutcomeUnknownError);
    expect(store.released, 'kept: a retry must find the write, or take over only after the lease').to.equal(0);
    await idempotency.run(request, { ...neverRuns, run: () => Promise.reject(new ConflictError('no')) }).catch(() => undefined);
    expect(store.released).to.equal(1);
  });

  it('answers a failed request with its own 503 when the database would not take the release either', async () => {
    const store = new RecordingStore(() => ({ kind: 'claimed', fence }));
    store.release = () => Promise.reject(new ServiceUnavailableError('the release met the outage'));
    const told: unknown[] = [];
    const idempotency = new Idempotency(store, 1_000, undefined, undefined, (error) => told.push(error));
    const failure = new ServiceUnavailableError('the read met the outage');
    const answer = await idempotency.run(request, { ...neverRuns, run: () => Promise.reject(failure) }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(answer).to.equal(failure);
    expect(told.map((error) => (error as Error).message)).to.deep.equal(['the release met the outage']);
  });

  it('answers a retry from what a request wrote but never recorded, and records that answer', async () => {
    const store = new RecordingStore(() => ({ kind: 'committed', target: 'asset-1' }));
    let dropped = 0;
    const result = await new Idempotency(store, 1_000).run(request, {
      run: () => Promise.reject(new Error('must not run again')),
      onReplay: async () => void dropped++,
      replayWritten: async (target) => ({ status: 201, headers: { Location: `/api/assets/${target}` }, data: { id: target } }),
    });
    expect(result).to.deep.equal({ status: 201, headers: { Location: '/api/assets/asset-1' }, data: { id: 'asset-1' } });
    expect(dropped, 'the retry’s own upload is dropped').to.equal(1);
    expect(store.completed).to.have.length(1);
  });
});
