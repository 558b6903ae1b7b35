/** What Idempotency relies on from an IdempotencyStore: run against the Firestore adapter and the in-memory fake. */
import { expect } from 'chai';
import type { IdempotencyTimes } from '../../functions/adapters/firestore/firestore-idempotency-store.js';
import type { IdempotencyStore, RecordedResponse } from '../../functions/domain/ports/idempotency-store.js';
import { rejectionOf } from './asset-documents.js';

export type MakeIdempotencyStore = (times: IdempotencyTimes) => Promise<IdempotencyStore>;

const TIMES: IdempotencyTimes = { ttlMs: 60_000, leaseMs: 10_000 };
const RESPONSE: RecordedResponse = { status: 201, headers: { ETag: '"abc"', Location: '/api/assets/x' }, data: '{"id":"x","list":[1,2]}' };

export function describeIdempotencyStoreContract(name: string, make: MakeIdempotencyStore): void {
  describe(`IdempotencyStore contract: ${name}`, function () {
    this.timeout(30_000);
    let store: IdempotencyStore;
    const t0 = new Date('2026-01-01T00:00:00.000Z');
    const at = (milliseconds: number) => new Date(t0.getTime() + milliseconds);
    beforeEach(async () => {
      store = await make(TIMES);
    });

    it('gives the key to the first claim; a retry is in flight until completed, then replays the response', async () => {
      expect(await store.claim('k', 'f', t0)).to.include({ kind: 'claimed' });
      expect(await store.claim('k', 'f', at(1))).to.deep.equal({ kind: 'in-flight' });
      await store.complete('k', RESPONSE, at(2));
      expect(await store.claim('k', 'f', at(3))).to.deep.equal({ kind: 'done', response: RESPONSE });
      expect(await store.claim('other', 'f', at(3))).to.include({ kind: 'claimed' });
    });

    it('answers mismatch to another fingerprint, in flight or done', async () => {
      await store.claim('k', 'f', t0);
      expect(await store.claim('k', 'g', at(1))).to.deep.equal({ kind: 'mismatch' });
      await store.complete('k', RESPONSE, at(2));
      expect(await store.claim('k', 'g', at(3))).to.deep.equal({ kind: 'mismatch' });
    });

    it('gives exactly one of many concurrent claims the key', async () => {
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.claim('k', 'f', t0)));
      expect(outcomes.filter((outcome) => outcome.kind === 'claimed')).to.have.length(1);
      expect(outcomes.filter((outcome) => outcome.kind === 'in-flight')).to.have.length(9);
    });

    it('lets a claim whose lease ran out be taken over, and a released key be claimed again; a release gives up only its own claim', async () => {
      const first = await store.claim('k', 'f', t0);
      expect(await store.claim('k', 'f', at(TIMES.leaseMs - 1))).to.deep.equal({ kind: 'in-flight' });
      const takeover = await store.claim('k', 'f', at(TIMES.leaseMs));
      if (first.kind !== 'claimed' || takeover.kind !== 'claimed') expect.fail(`claimed twice, got ${first.kind} and ${takeover.kind}`);
      await store.release(first.fence);
      expect(await store.claim('k', 'f', at(TIMES.leaseMs + 1)), 'the first claim’s late release left the takeover').to.deep.equal({ kind: 'in-flight' });
      await store.release(takeover.fence);
      expect(await store.claim('k', 'g', at(TIMES.leaseMs + 1))).to.include({ kind: 'claimed' });
      await store.release({ key: 'never-claimed', token: 't' });
    });

    it('forgets a key after its time to live, whatever its state, counted from completion', async () => {
      await store.claim('k', 'f', t0);
      await store.complete('k', RESPONSE, at(TIMES.leaseMs));
      expect(await store.claim('k', 'g', at(TIMES.leaseMs + TIMES.ttlMs - 1))).to.deep.equal({ kind: 'mismatch' });
      expect(await store.claim('k', 'g', at(TIMES.leaseMs + TIMES.ttlMs))).to.include({ kind: 'claimed' });
    });

    it('refuses to complete a key that nobody holds', async () => {
      expect(await rejectionOf(store.complete('never-claimed', RESPONSE, t0))).to.be.instanceOf(Error);
    });
  });
}
