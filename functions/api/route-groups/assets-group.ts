/** Listing, search, writes, uploads, deletion and restore, history and album-art requests. */
import { ASSETS } from '../endpoints.js';
import type { RouteGroup } from './route-group.js';

export const assetsGroup: RouteGroup = {
  endpoints: ASSETS,
  async load({ runtime, config, assetService, sharedListings, albumArtShape }) {
    const [{ assetRoutes }, { Idempotency }, { FirestoreIdempotencyStore }, service, listings] = await Promise.all([
      import('../routes/asset-routes.js'),
      import('../idempotency.js'),
      import('../../adapters/firestore/firestore-idempotency-store.js'),
      assetService(),
      sharedListings(),
    ]);
    const safety = config.dataSafety;
    // A claim outlives the slowest create (Firestore deadline, then the file move) before a retry may take it over.
    const idempotencyStore = new FirestoreIdempotencyStore(
      runtime.firestore(),
      { ttlMs: safety.idempotencyTtlMs, leaseMs: 4 * config.firestoreDeadlineMs },
      config.firestoreDeadlineMs,
    );
    return assetRoutes({
      service,
      blobStore: runtime.blobStore('assets'),
      maxRequestBytes: config.maxRequestBytes,
      idempotency: new Idempotency(idempotencyStore, safety.idempotencyWaitMs),
      listings,
      albumArtShape,
    });
  },
};
