/**
 * What the album-art processor relies on from its host rate limiter: a budget of requests per host
 * and minute, never exceeded by concurrent callers, fresh in the next minute, none at 0. Run against
 * the Firestore host rate limiter and the fake, each on a clock the test moves.
 */
import { expect } from 'chai';

interface HostRateLimiter {
  tryAcquire(host: string): Promise<boolean>;
}

export type MakeHostRateLimiter = (perMinute: number, clock: () => number) => Promise<HostRateLimiter>;

export function describeHostRateLimiterContract(name: string, make: MakeHostRateLimiter): void {
  describe(`HostRateLimiter contract: ${name}`, function () {
    this.timeout(30_000);
    let now: number;
    const clock = () => now;
    beforeEach(() => {
      now = Date.UTC(2026, 0, 1, 12, 0, 10);
    });

    it('grants a host its budget for the minute, and no more, whatever the number of concurrent callers', async () => {
      const limiter = await make(3, clock);
      const granted = await Promise.all(Array.from({ length: 6 }, () => limiter.tryAcquire('art.example.com')));
      expect(granted.filter(Boolean)).to.have.length(3);
      expect(await limiter.tryAcquire('art.example.com')).to.equal(false);
      expect(await limiter.tryAcquire('other.example.com')).to.equal(true);
    });

    it('starts a new budget with the next minute', async () => {
      const limiter = await make(1, clock);
      expect(await limiter.tryAcquire('art.example.com')).to.equal(true);
      expect(await limiter.tryAcquire('art.example.com')).to.equal(false);
      now += 60_000;
      expect(await limiter.tryAcquire('art.example.com')).to.equal(true);
    });

    it('never refuses with a budget of 0 (no limit)', async () => {
      const limiter = await make(0, clock);
      for (let index = 0; index < 5; index++) expect(await limiter.tryAcquire('art.example.com')).to.equal(true);
    });
  });
}
