/** Listing, search, writes, uploads, deletion and restore, history and album-art requests. */
import type { ApiContext } from '../api-context.js';
import type { Route } from '../router.js';

export async function assetsGroup({ runtime, config, logger, assetUseCases, sharedListings, albumArtShape }: ApiContext): Promise<readonly Route[]> {
  const [{ assetRoutes }, { assetLifecycleRoutes }, { Idempotency }, { FirestoreIdempotencyStore }, assets, listings] = await Promise.all([
    import('../routes/asset-routes.js'),
    import('../routes/asset-lifecycle-routes.js'),
    import('../idempotency.js'),
    import('../../adapters/firestore/firestore-idempotency-store.js'),
    assetUseCases(),
    sharedListings(),
  ]);
  const safety = config.dataSafety;
  // A claim outlives the slowest create (Firestore deadline, then the file move) before a retry may take it over.
  const idempotencyStore = new FirestoreIdempotencyStore(
    runtime.firestore(),
    { ttlMs: safety.idempotencyTtlMs, leaseMs: 4 * config.firestoreDeadlineMs },
    config.firestoreDeadlineMs,
    { releaseFailed: (error) => logger.warn('an Idempotency-Key claim could not be given back before its lease ran out', { error }) },
  );
  const idempotency = new Idempotency(
    idempotencyStore,
    safety.idempotencyWaitMs,
    undefined,
    (error) => logger.warn('the answer of a written request could not be recorded under its Idempotency-Key; a retry answers from what it wrote', { error }),
    (error) => logger.info('a failed request’s Idempotency-Key is given back in the background', { error }),
  );
  const { maxRequestBytes } = config;
  return [
    ...assetRoutes({ assets, blobStore: runtime.blobStore('assets'), maxRequestBytes, idempotency, listings, albumArtShape }),
    ...assetLifecycleRoutes({ assets, maxRequestBytes, albumArtShape }),
  ];
}
