/**
 * The sharing of listing pages, on a fake clock: who shares a read, how old a shared page can be,
 * and what a write, a client's no-cache and a failed read do. Also the coding negotiation and the
 * conditional-GET helpers the listing answers use.
 */
import { expect } from 'chai';
import type { ApiRequest } from '../../functions/http/http-types.js';
import { matchesIfNoneMatch, wantsFreshAnswer } from '../../functions/http/conditional-get.js';
import { negotiateCoding } from '../../functions/http/response-encoding.js';
import { SharedListings, type ShareRequest } from '../../functions/http/shared-listings.js';

const MAX_AGE_MS = 1000;

/** A page source that counts its reads and finishes when told. */
function pageSource() {
  let reads = 0;
  const pending: Array<{ resolve: (value: string) => void; reject: (error: Error) => void }> = [];
  return {
    get reads() {
      return reads;
    },
    read: () =>
      new Promise<string>((resolve, reject) => {
        reads++;
        pending.push({ resolve, reject });
      }),
    finishAll(value: string) {
      for (const waiting of pending.splice(0)) waiting.resolve(value);
    },
    failAll(error: Error) {
      for (const waiting of pending.splice(0)) waiting.reject(error);
    },
  };
}

describe('shared listing pages (fake clock)', () => {
  let now: number;
  let listings: SharedListings<string>;
  const page = (overrides: Partial<ShareRequest> = {}): ShareRequest => ({ key: 'page=1&limit=1000', shareable: true, fresh: false, ...overrides });

  beforeEach(() => {
    now = 1_000_000;
    listings = new SharedListings<string>({ maxAgeMs: MAX_AGE_MS, now: () => now });
  });

  it('gives identical requests in flight together one read', async () => {
    const source = pageSource();
    const answers = Array.from({ length: 20 }, () => listings.get(page(), source.read));
    source.finishAll('the page');
    const settled = await Promise.all(answers);
    expect(source.reads).to.equal(1);
    expect(settled.map((answer) => answer.value)).to.deep.equal(Array(20).fill('the page'));
    expect(settled.filter((answer) => !answer.shared)).to.have.length(1);
  });

  it('never shares a page whose read started more than maxAgeMs before the request arrived', async () => {
    const source = pageSource();
    const first = listings.get(page(), source.read);
    source.finishAll('read at t0');
    await first;
    now += MAX_AGE_MS;
    expect(await listings.get(page(), source.read)).to.deep.equal({ value: 'read at t0', shared: true });
    now += 1;
    const later = listings.get(page(), source.read);
    source.finishAll('read at t0 + maxAge + 1');
    expect(await later).to.deep.equal({ value: 'read at t0 + maxAge + 1', shared: false });
    expect(source.reads).to.equal(2);
  });

  it('counts the age from the start of the read, even while it is still in flight', async () => {
    const source = pageSource();
    const first = listings.get(page(), source.read);
    now += MAX_AGE_MS + 1;
    const second = listings.get(page(), source.read);
    expect(source.reads).to.equal(2);
    source.finishAll('page');
    await Promise.all([first, second]);
  });

  it('starts a new read for any request after a write of this instance (invalidate)', async () => {
    const source = pageSource();
    const before = listings.get(page(), source.read);
    listings.invalidate();
    const after = listings.get(page(), source.read);
    expect(source.reads).to.equal(2);
    source.finishAll('page');
    expect((await after).shared).to.equal(false);
    await before;
  });

  it('reads afresh for a client asking for it (no-cache), and later requests share that read', async () => {
    const source = pageSource();
    const old = listings.get(page(), source.read);
    source.finishAll('old');
    await old;
    const fresh = listings.get(page({ fresh: true }), source.read);
    const joiner = listings.get(page(), source.read);
    source.finishAll('new');
    expect(await fresh).to.deep.equal({ value: 'new', shared: false });
    expect(await joiner).to.deep.equal({ value: 'new', shared: true });
    expect(source.reads).to.equal(2);
  });

  it('shares a failed read only with the requests already waiting for it', async () => {
    const source = pageSource();
    const waiting = [listings.get(page(), source.read), listings.get(page(), source.read)];
    source.failAll(new Error('Firestore is down'));
    const results = await Promise.allSettled(waiting);
    expect(results.map((result) => (result.status === 'rejected' ? (result.reason as Error).message : 'served'))).to.deep.equal([
      'Firestore is down',
      'Firestore is down',
    ]);
    const retry = listings.get(page(), source.read);
    source.finishAll('page');
    expect(await retry).to.deep.equal({ value: 'page', shared: false });
    expect(source.reads).to.equal(2);
  });

  it('keeps pages of different keys apart, and shares nothing unshareable or with maxAgeMs 0', async () => {
    const source = pageSource();
    const a = listings.get(page({ key: 'a' }), source.read);
    const b = listings.get(page({ key: 'b' }), source.read);
    const small = listings.get(page({ key: 'a', shareable: false }), source.read);
    const never = new SharedListings<string>({ maxAgeMs: 0, now: () => now });
    const off = [never.get(page(), source.read), never.get(page(), source.read)];
    expect(source.reads).to.equal(5);
    source.finishAll('page');
    await Promise.all([a, b, small, ...off]);
  });

  it('keeps at most maxEntries pages, dropping the oldest', async () => {
    const bounded = new SharedListings<string>({ maxAgeMs: MAX_AGE_MS, maxEntries: 2, now: () => now });
    const source = pageSource();
    const first = ['a', 'b', 'c'].map((key) => bounded.get(page({ key }), source.read));
    source.finishAll('page');
    await Promise.all(first);
    await Promise.all(['b', 'c'].map((key) => bounded.get(page({ key }), source.read)));
    expect(source.reads).to.equal(3);
    const again = bounded.get(page({ key: 'a' }), source.read);
    source.finishAll('page');
    await again;
    expect(source.reads).to.equal(4);
  });
});

describe('content coding negotiation', () => {
  for (const [header, coding] of [
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['identity', 'identity'],
    ['deflate', 'identity'],
    ['GZIP;Q=1', 'gzip'],
  ] as const) {
    it(`answers ${JSON.stringify(header)} with ${coding}`, () => {
      expect(negotiateCoding(header)).to.equal(coding);
    });
  }
});

describe('conditional GET helpers', () => {
  const request = (headers: Record<string, string>) => ({ headers }) as unknown as ApiRequest;

  it('matches If-None-Match by weak comparison, in a list, and *', () => {
    expect(matchesIfNoneMatch('"abc"', '"abc"')).to.equal(true);
    expect(matchesIfNoneMatch('W/"abc"', '"abc"')).to.equal(true);
    expect(matchesIfNoneMatch('"x", "abc"', '"abc"')).to.equal(true);
    expect(matchesIfNoneMatch('*', '"abc"')).to.equal(true);
    expect(matchesIfNoneMatch('"abd"', '"abc"')).to.equal(false);
    expect(matchesIfNoneMatch(undefined, '"abc"')).to.equal(false);
  });

  it('reads no-cache, no-store and max-age=0 (and Pragma: no-cache) as a wish for a fresh answer, max-age=30 not', () => {
    expect(wantsFreshAnswer(request({ 'cache-control': 'no-cache, no-store, must-revalidate' }))).to.equal(true);
    expect(wantsFreshAnswer(request({ 'cache-control': 'max-age=0' }))).to.equal(true);
    expect(wantsFreshAnswer(request({ pragma: 'no-cache' }))).to.equal(true);
    expect(wantsFreshAnswer(request({ 'cache-control': 'max-age=30' }))).to.equal(false);
    expect(wantsFreshAnswer(request({}))).to.equal(false);
  });
});
