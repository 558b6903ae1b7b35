/**
 * Wires the API from the runtime: adapters in, handler out. Nothing here does I/O before the first
 * request: the outbox redrive starts once the first answer is sent, and the Google token verifier
 * (google-auth-library) loads on the first token it checks.
 */
import { DevTokenVerifier } from '../adapters/auth/dev-token-verifier.js';
import { ClamdScanner } from '../adapters/clamd/clamd-scanner.js';
import { FirestoreAssetRepository } from '../adapters/firestore/firestore-asset-repository.js';
import type { Principal, TokenVerifier } from '../domain/ports/token-verifier.js';
import { taxonomy } from '../domain/taxonomy/taxonomy.js';
import { blobStoreCheck, firestoreCheck, pubSubCheck, scannerCheck } from '../operations/health/dependency-checks.js';
import { ReadinessProbe } from '../operations/health/readiness.js';
import { StatsService } from '../operations/stats/stats-service.js';
import type { Config } from '../platform/config.js';
import type { Runtime } from '../runtime.js';
import { FirestoreOutbox } from '../adapters/firestore/firestore-outbox.js';
import { PubSubPublisher } from '../adapters/pubsub/pubsub-publisher.js';
import { AlbumArtRequests } from './album-art-requests.js';
import { createApiHandler } from './api-handler.js';
import { OutboxRelay } from './outbox-relay.js';
import { AssetService } from './asset-service.js';
import { installFrameworkErrorEnvelope } from './framework-errors.js';
import { buildOpenApiDocument } from './openapi.js';
import type { ApiRequest, ApiResponse } from './http-types.js';
import { Router, type Route } from './router.js';
import { adminRoutes } from './routes/admin-routes.js';
import { assetRoutes } from './routes/asset-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { taxonomyRoutes } from './routes/taxonomy-routes.js';

function tokenVerifier(config: Config): TokenVerifier {
  if (config.auth.mode === 'dev') return new DevTokenVerifier();
  // google-auth-library costs the cold start tens of milliseconds: it loads with the first token.
  let google: Promise<TokenVerifier> | undefined;
  return {
    async verify(token: string): Promise<Principal> {
      google ??= import('../adapters/auth/google-token-verifier.js').then(
        ({ GoogleTokenVerifier }) => new GoogleTokenVerifier(config.projectId, config.auth.audience ?? config.projectId),
      );
      return (await google).verify(token);
    },
  };
}

export function createApiFunction(runtime: Runtime): (request: ApiRequest, response: ApiResponse) => Promise<void> {
  const { config, logger } = runtime;
  installFrameworkErrorEnvelope(logger, config.maxRequestBytes);
  const firestore = runtime.firestore();
  const { metrics, flush } = runtime.metrics();
  const blobStore = runtime.blobStore('assets');
  const flags = runtime.flags();
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
  const routes: Route[] = [
    ...healthRoutes(readiness),
    ...taxonomyRoutes(taxonomy),
    ...assetRoutes({ service, blobStore, maxRequestBytes: config.maxRequestBytes }),
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
  const handler = createApiHandler({
    router: new Router(routes),
    auth: { verifier: tokenVerifier(config), publicReads: config.auth.publicReads },
    logger,
    projectId: config.projectId,
    corsOrigin: config.corsOrigin,
    metrics,
  });
  let redriveStarted = false;
  return async (request, response) => {
    await handler(request, response);
    if (redriveStarted) return;
    redriveStarted = true;
    // Each new instance republishes album-art jobs whose publish was lost (a Cloud Scheduler job
    // does too); after its first answer is sent, since that answer needs none of it.
    void relay.redrive(config.albumArt.redriveAfterMs).catch((error: unknown) => logger.warn('outbox redrive after the first request failed', { error }));
  };
}
