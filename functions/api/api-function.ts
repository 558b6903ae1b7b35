/** Wires the API from configuration: adapters in, handler out. */
import { DevTokenVerifier } from '../adapters/auth/dev-token-verifier.js';
import { GoogleTokenVerifier } from '../adapters/auth/google-token-verifier.js';
import { createBlobStore } from '../adapters/blob-store/create-blob-store.js';
import { ClamdScanner } from '../adapters/clamd/clamd-scanner.js';
import { BlobAlbumArtFiles } from '../adapters/blob-store/blob-album-art-files.js';
import { FirestoreAssetRepository } from '../adapters/firestore/firestore-asset-repository.js';
import { configureHistory, HistoryLog } from '../adapters/firestore/firestore-history.js';
import { FirestoreIdempotencyStore } from '../adapters/firestore/firestore-idempotency-store.js';
import { getFirestore } from '../adapters/firestore/firestore-client.js';
import type { TokenVerifier } from '../domain/ports/token-verifier.js';
import { taxonomy } from '../domain/taxonomy/taxonomy.js';
import { createFeatureFlags } from '../operations/flags/create-feature-flags.js';
import { blobStoreCheck, firestoreCheck, pubSubCheck, scannerCheck } from '../operations/health/dependency-checks.js';
import { ReadinessProbe } from '../operations/health/readiness.js';
import { createMetrics } from '../operations/metrics/create-metrics.js';
import { MeteredBlobStore } from '../operations/metrics/metered-blob-store.js';
import { StatsService } from '../operations/stats/stats-service.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { FirestoreOutbox } from '../adapters/firestore/firestore-outbox.js';
import { PubSubPublisher } from '../adapters/pubsub/pubsub-publisher.js';
import { AlbumArtRequests } from './album-art-requests.js';
import { createApiHandler } from './api-handler.js';
import { OutboxRelay } from './outbox-relay.js';
import { AssetService } from './asset-service.js';
import { Idempotency } from './idempotency.js';
import { installFrameworkErrorEnvelope } from './framework-errors.js';
import { buildOpenApiDocument } from './openapi.js';
import { Router, type Route } from './router.js';
import { adminRoutes } from './routes/admin-routes.js';
import { assetRoutes } from './routes/asset-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { taxonomyRoutes } from './routes/taxonomy-routes.js';

function tokenVerifier(config: Config): TokenVerifier {
  if (config.auth.mode === 'dev') return new DevTokenVerifier();
  return new GoogleTokenVerifier(config.projectId, config.auth.audience ?? config.projectId);
}

export function createApiFunction(config: Config, logger: Logger) {
  installFrameworkErrorEnvelope(logger, config.maxRequestBytes);
  const firestore = getFirestore(config.projectId);
  const { metrics, flush } = createMetrics(config, logger, firestore);
  const blobStore = new MeteredBlobStore(createBlobStore(config), config.blobStore.bucket, metrics);
  const flags = createFeatureFlags(config, firestore, logger);
  const relay = new OutboxRelay(new FirestoreOutbox(firestore), new PubSubPublisher(config.projectId), logger.child({ function: 'api' }));
  const safety = config.dataSafety;
  configureHistory(safety);
  const service = new AssetService({
    repository: new FirestoreAssetRepository(firestore, config.assetsCollection, config.firestoreDeadlineMs),
    blobStore,
    flags,
    taxonomy,
    albumArt: new AlbumArtRequests({ flags, relay, topic: config.albumArt.topic }),
    history: new HistoryLog(firestore, config.assetsCollection, config.firestoreDeadlineMs),
    albumArtFiles: new BlobAlbumArtFiles(new MeteredBlobStore(createBlobStore(config, 'albumArt', logger), config.albumArtStore.bucket, metrics)),
    deletedRetentionDays: safety.deletedRetentionDays,
  });
  // A claim outlives the slowest create (Firestore deadline, then the file move) before a retry may take it over.
  const idempotencyStore = new FirestoreIdempotencyStore(firestore, { ttlMs: safety.idempotencyTtlMs, leaseMs: 4 * config.firestoreDeadlineMs }, config.firestoreDeadlineMs);
  const idempotency = new Idempotency(idempotencyStore, safety.idempotencyWaitMs);
  const readiness = new ReadinessProbe(config.readinessTimeoutMs).register(
    firestoreCheck(firestore, config.flags.document),
    blobStoreCheck(blobStore),
    pubSubCheck(config.projectId),
  );
  if (config.albumArt.scan === 'required') {
    readiness.register(scannerCheck(new ClamdScanner(config.albumArt.clamdAddress, config.albumArt.clamdTimeoutMs), true));
  }
  const stats = new StatsService(firestore, {
    metricsCollection: config.metrics.collection,
    migrationsCollection: config.migrationsCollection,
    flush,
  });
  // Each new instance republishes album-art jobs whose publish was lost (a Cloud Scheduler job does too).
  void relay.redrive(config.albumArt.redriveAfterMs).catch((error: unknown) => logger.warn('outbox redrive at start failed', { error }));
  // Deleted assets past their retention are purged by a daily Cloud Scheduler job; each new instance
  // sweeps too, so a missed job does not leave them for the TTL (which would orphan their files).
  void service
    .purgeExpired(100)
    .then((purged) => purged > 0 && logger.info('purged deleted assets past their retention at start', { purged }))
    .catch((error: unknown) => logger.warn('sweep of deleted assets at start failed', { error }));
  const routes: Route[] = [
    ...healthRoutes(readiness),
    ...taxonomyRoutes(taxonomy),
    ...assetRoutes({ service, blobStore, maxRequestBytes: config.maxRequestBytes, idempotency }),
    ...adminRoutes({ flags, stats }),
  ];
  let openApiDocument: Record<string, unknown> | undefined;
  routes.push({
    method: 'GET',
    path: '/api/openapi.json',
    access: 'public',
    summary: 'This document',
    handler: async () => ({ raw: (openApiDocument ??= buildOpenApiDocument(routes)) }),
  });
  return createApiHandler({
    router: new Router(routes),
    auth: { verifier: tokenVerifier(config), publicReads: config.auth.publicReads },
    logger,
    projectId: config.projectId,
    corsOrigin: config.corsOrigin,
    metrics,
  });
}
