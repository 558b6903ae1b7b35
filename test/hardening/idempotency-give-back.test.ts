/**
 * A keyed request answered 503 while the database did not answer holds no Idempotency-Key: with the
 * Firestore emulator frozen (SIGSTOP), a claim answered past its deadline lands once the emulator
 * runs again and is then given back, and so is a release that could not be made in time; the retry
 * the 503 asks for claims the key at once instead of waiting for the lease. Each step waits for the
 * store to say the key settled, never for a time.
 */
import { expect } from 'chai';
import { Firestore } from '@google-cloud/firestore';
import path from 'node:path';
import { FirestoreIdempotencyStore } from '../../functions/adapters/firestore/firestore-idempotency-store.js';
import { ServiceUnavailableError } from '../../functions/domain/errors.js';
import { startFirestoreEmulator, type Emulator } from '../../scripts/lib/emulators.js';
import { TEST_OUTPUT, TEST_PROJECT } from '../support/test-environment.js';

/** Long enough that no key in this suite could be taken over by its lease. */
const TIMES = { ttlMs: 3_600_000, leaseMs: 600_000 };
const t0 = new Date('2030-01-01T00:00:00.000Z');
const later = new Date(t0.getTime() + 1_000);

/** Resolves each key's promise when the store says the key settled after its answer. */
class SettledKeys {
  private readonly waiting = new Map<string, () => void>();
  private readonly settled = new Set<string>();
  seen(key: string): void {
    this.settled.add(key);
    this.waiting.get(key)?.();
  }
  of(key: string): Promise<void> {
    if (this.settled.has(key)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(key, resolve));
  }
}

describe('Idempotency-Key claims given back after the database stalled', function () {
  this.timeout(180_000);
  let emulator: Emulator | undefined;
  let db: Firestore;
  let settled: SettledKeys;
  let hasty: FirestoreIdempotencyStore;
  let patient: FirestoreIdempotencyStore;

  before(async () => {
    // An emulator of its own: this suite freezes it.
    emulator = await startFirestoreEmulator(path.join(TEST_OUTPUT, 'idempotency-give-back'));
    // The client reads the emulator's address from the environment when it is made.
    const shared = process.env['FIRESTORE_EMULATOR_HOST'];
    process.env['FIRESTORE_EMULATOR_HOST'] = emulator.host;
    try {
      db = new Firestore({ projectId: TEST_PROJECT });
    } finally {
      process.env['FIRESTORE_EMULATOR_HOST'] = shared;
    }
    // An open channel: the frozen emulator then holds the requests rather than refusing a connection.
    await db.collection('warm-up').doc('channel').set({ open: true });
  });
  after(async () => {
    await db?.terminate();
    await emulator?.stop();
  });
  beforeEach(() => {
    settled = new SettledKeys();
    hasty = new FirestoreIdempotencyStore(db, TIMES, 300, { settledLate: (key) => settled.seen(key) });
    patient = new FirestoreIdempotencyStore(db, TIMES, 60_000);
  });

  /** Runs `during` with the emulator frozen, then lets it run again. */
  async function frozen<T>(during: () => Promise<T>): Promise<T> {
    const group = -emulator!.child.pid!;
    process.kill(group, 'SIGSTOP');
    try {
      return await during();
    } finally {
      process.kill(group, 'SIGCONT');
    }
  }

  it('gives back a claim answered 503 past its deadline once it lands: the retry claims the key', async () => {
    const refused = await frozen(() =>
      hasty.claim('frozen-claim', 'f', t0).then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    expect(refused).to.be.instanceOf(ServiceUnavailableError);
    await settled.of('frozen-claim');
    expect(await patient.claim('frozen-claim', 'f', later)).to.include({ kind: 'claimed' });
  });

  it('gives back a claim whose release met the frozen database, once it runs again', async () => {
    const claimed = await hasty.claim('frozen-release', 'f', t0);
    if (claimed.kind !== 'claimed') expect.fail(`claimed, got ${claimed.kind}`);
    const refused = await frozen(() =>
      hasty.release(claimed.fence).then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    expect(refused).to.be.instanceOf(ServiceUnavailableError);
    await settled.of('frozen-release');
    expect(await patient.claim('frozen-release', 'f', later)).to.include({ kind: 'claimed' });
  });
});
