/**
 * The Firestore host rate limiter held to its contract against the emulator (here rather than in
 * test/contract/firestore-adapters.test.ts: it is internal to the album-art capability, which only
 * its own tests may import).
 */
import { FirestoreHostRateLimiter } from '../../functions/album-art/adapters/firestore-host-rate-limiter.js';
import { getFirestore } from '../../functions/adapters/firestore/firestore-client.js';
import { describeHostRateLimiterContract } from '../contract/host-rate-limiter.contract.js';
import { TEST_PROJECT } from '../support/test-environment.js';

describeHostRateLimiterContract('Firestore', (perMinute, clock) =>
  Promise.resolve(new FirestoreHostRateLimiter(getFirestore(TEST_PROJECT), perMinute, 15_000, clock)),
);
