/**
 * Wires the API from the runtime: adapters in, handler out. Nothing here does I/O before the first
 * request: the outbox redrive starts once the first answer is sent, and the token verifiers
 * (firebase-admin, google-auth-library) load their libraries on the first token they check.
 */
import { DevTokenVerifier } from '../adapters/auth/dev-token-verifier.js';
import { FirebaseIdentityProvider } from '../adapters/auth/firebase-identity-provider.js';
import { FirebaseOrOtherVerifier, FirebaseTokenVerifier } from '../adapters/auth/firebase-token-verifier.js';
import { FirestoreRoleAudit } from '../adapters/firestore/firestore-role-audit.js';
import type { IdentityProvider } from '../domain/ports/identity-provider.js';
import { ClamdScanner } from '../adapters/clamd/clamd-scanner.js';
import { FirestoreAssetRepository } from '../adapters/firestore/firestore-asset-repository.js';
import { HistoryLog } from '../adapters/firestore/firestore-history.js';
import { FirestoreIdempotencyStore } from '../adapters/firestore/firestore-idempotency-store.js';
import type { Principal, ServiceAccountRoles, TokenVerifier } from '../domain/ports/token-verifier.js';
import { taxonomy } from '../domain/taxonomy/taxonomy.js';
import { blobStoreCheck, firestoreCheck, pubSubCheck, scannerCheck } from '../operations/health/dependency-checks.js';
import { ReadinessProbe } from '../operations/health/readiness.js';
import { StatsService } from '../operations/stats/stats-service.js';
import type { Config } from '../platform/config.js';
import type { Runtime } from '../runtime.js';
import { AlbumArtRequests, ContentAddressedAlbumArtFiles, FirestoreOutbox, OutboxRelay, PubSubPublisher } from '../album-art/index.js';
import { createApiHandler } from './api-handler.js';
import { AssetService } from './asset-service.js';
import { Idempotency } from './idempotency.js';
import { installFrameworkErrorEnvelope } from './framework-errors.js';
import { buildOpenApiDocument } from './openapi.js';
import type { ApiRequest, ApiResponse } from './http-types.js';
import { Router, type Route } from './router.js';
import { AuthService } from './auth-service.js';
import { adminRoutes } from './routes/admin-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { assetRoutes } from './routes/asset-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { indexRoutes } from './routes/index-routes.js';
import { taxonomyRoutes } from './routes/taxonomy-routes.js';

/**
 * Firebase ID tokens (sign-in) everywhere; besides them dev tokens locally, Google identity tokens
 * elsewhere. firebase-admin and google-auth-library both load on the first token that needs them.
 */
function tokenVerifier(config: Config): TokenVerifier {
  const other = config.auth.mode === 'dev' ? new DevTokenVerifier() : lazyGoogleVerifier(config.auth.audience ?? config.projectId, config.auth.serviceAccountRoles);
  const firebaseProject = config.auth.firebaseProjectId;
  return new FirebaseOrOtherVerifier(firebaseProject, new FirebaseTokenVerifier(firebaseProject), other);
}

/** google-auth-library costs the cold start tens of milliseconds: it loads with the first token. */
function lazyGoogleVerifier(audience: string, grants: ServiceAccountRoles): TokenVerifier {
  let google: Promise<TokenVerifier> | undefined;
  return {
    async verify(token: string): Promise<Principal> {
      google ??= import('../adapters/auth/google-token-verifier.js').then(({ GoogleTokenVerifier }) => new GoogleTokenVerifier(audience, grants));
      return (await google).verify(token);
    },
  };
}

function identityProvider(config: Config): IdentityProvider | undefined {
  const { firebaseApiKey, firebaseProjectId, authEmulatorHost } = config.auth;
  return firebaseApiKey ? new FirebaseIdentityProvider({ projectId: firebaseProjectId, apiKey: firebaseApiKey, emulatorHost: authEmulatorHost }) : undefined;
}

export interface ApiFunction {
  (request: ApiRequest, response: ApiResponse): Promise<void>;
  /**
   * Resolves once the work started after the first answer (outbox redrive, sweep of deleted assets)
   * has finished, at once if it has not started. Tests that run the API in their own process await
   * it before stopping, so that work never writes into a later test.
   */
  startUpWorkDone(): Promise<void>;
}

export function createApiFunction(runtime: Runtime): ApiFunction {
  const { config, logger } = runtime;
  installFrameworkErrorEnvelope(logger, config.maxRequestBytes);
  const firestore = runtime.firestore();
  const { metrics, flush } = runtime.metrics();
  const blobStore = runtime.blobStore('assets');
  const flags = runtime.flags();
  const relay = new OutboxRelay(new FirestoreOutbox(firestore, config.firestoreDeadlineMs), new PubSubPublisher(config.projectId), logger.child({ function: 'api' }));
  const safety = config.dataSafety;
  const service = new AssetService({
    repository: new FirestoreAssetRepository(firestore, config.assetsCollection, config.firestoreDeadlineMs),
    blobStore,
    flags,
    taxonomy,
    albumArt: new AlbumArtRequests({ flags, relay, topic: config.albumArt.topic }),
    history: new HistoryLog(firestore, config.assetsCollection, config.firestoreDeadlineMs),
    albumArtFiles: new ContentAddressedAlbumArtFiles(runtime.blobStore('albumArt')),
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
    deadlineMs: config.firestoreDeadlineMs,
  });
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
    ...assetRoutes({ service, blobStore, maxRequestBytes: config.maxRequestBytes, idempotency }),
    ...adminRoutes({ flags, stats }),
    ...indexRoutes(),
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
  const handler = createApiHandler({
    router: new Router(routes),
    auth: { verifier, publicReads: config.auth.publicReads },
    logger,
    projectId: config.projectId,
    corsOrigins: config.corsOrigins,
    metrics,
  });
  let startUpWork: Promise<unknown> | undefined;
  const api = async (request: ApiRequest, response: ApiResponse): Promise<void> => {
    await handler(request, response);
    if (startUpWork) return;
    // Each new instance republishes album-art jobs whose publish was lost and purges deleted assets
    // past their retention (Cloud Scheduler jobs do both too, so a missed job does not leave them for
    // the TTL, which would orphan their files); after its first answer is sent, since that answer
    // needs none of it. Neither rejects: each logs its own failure.
    startUpWork = Promise.all([
      relay.redrive(config.albumArt.redriveAfterMs).catch((error: unknown) => logger.warn('outbox redrive after the first request failed', { error })),
      service
        .purgeExpired(100)
        .then((purged) => purged > 0 && logger.info('purged deleted assets past their retention', { purged }))
        .catch((error: unknown) => logger.warn('sweep of deleted assets after the first request failed', { error })),
    ]);
  };
  return Object.assign(api, { startUpWorkDone: async () => void (await startUpWork) });
}
