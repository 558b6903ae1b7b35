/** Wires the API from configuration: adapters in, handler out. */
import { DevTokenVerifier } from '../adapters/auth/dev-token-verifier.js';
import { FirebaseIdentityProvider } from '../adapters/auth/firebase-identity-provider.js';
import { FirebaseOrOtherVerifier, FirebaseTokenVerifier } from '../adapters/auth/firebase-token-verifier.js';
import { GoogleTokenVerifier } from '../adapters/auth/google-token-verifier.js';
import { FirestoreRoleAudit } from '../adapters/firestore/firestore-role-audit.js';
import type { IdentityProvider } from '../domain/ports/identity-provider.js';
import { createBlobStore } from '../adapters/blob-store/create-blob-store.js';
import { ClamdScanner } from '../adapters/clamd/clamd-scanner.js';
import { FirestoreAssetRepository } from '../adapters/firestore/firestore-asset-repository.js';
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
import { installFrameworkErrorEnvelope } from './framework-errors.js';
import { buildOpenApiDocument } from './openapi.js';
import { Router, type Route } from './router.js';
import { AuthService } from './auth-service.js';
import { adminRoutes } from './routes/admin-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { assetRoutes } from './routes/asset-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { taxonomyRoutes } from './routes/taxonomy-routes.js';

/** Firebase ID tokens (sign-in) everywhere; besides them dev tokens locally, Google identity tokens elsewhere. */
function tokenVerifier(config: Config): TokenVerifier {
  const other = config.auth.mode === 'dev' ? new DevTokenVerifier() : new GoogleTokenVerifier(config.auth.audience ?? config.projectId);
  const firebaseProject = config.auth.firebaseProjectId;
  return new FirebaseOrOtherVerifier(firebaseProject, new FirebaseTokenVerifier(firebaseProject), other);
}

function identityProvider(config: Config): IdentityProvider | undefined {
  const { firebaseApiKey, firebaseProjectId, authEmulatorHost } = config.auth;
  return firebaseApiKey ? new FirebaseIdentityProvider({ projectId: firebaseProjectId, apiKey: firebaseApiKey, emulatorHost: authEmulatorHost }) : undefined;
}

export function createApiFunction(config: Config, logger: Logger) {
  installFrameworkErrorEnvelope(logger, config.maxRequestBytes);
  const firestore = getFirestore(config.projectId);
  const { metrics, flush } = createMetrics(config, logger, firestore);
  const blobStore = new MeteredBlobStore(createBlobStore(config), config.blobStore.bucket, metrics);
  const flags = createFeatureFlags(config, firestore, logger);
  const relay = new OutboxRelay(new FirestoreOutbox(firestore), new PubSubPublisher(config.projectId), logger.child({ function: 'api' }));
  const service = new AssetService({
    repository: new FirestoreAssetRepository(firestore, config.assetsCollection, config.firestoreDeadlineMs),
    blobStore,
    flags,
    taxonomy,
    albumArt: new AlbumArtRequests({ flags, relay, topic: config.albumArt.topic }),
  });
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
  const verifier = tokenVerifier(config);
  const auth = new AuthService({
    identity: identityProvider(config),
    verifier,
    registrationRoles: config.auth.registrationRoles,
    audit: new FirestoreRoleAudit(firestore, config.auth.roleAuditCollection),
  });
  const routes: Route[] = [
    ...healthRoutes(readiness),
    ...taxonomyRoutes(taxonomy),
    ...assetRoutes({ service, blobStore, maxRequestBytes: config.maxRequestBytes }),
    ...adminRoutes({ flags, stats }),
    ...authRoutes(auth),
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
    auth: { verifier, publicReads: config.auth.publicReads },
    logger,
    projectId: config.projectId,
    corsOrigins: config.corsOrigins,
    metrics,
  });
}
