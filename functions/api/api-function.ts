/** Wires the API from configuration: adapters in, handler out. */
import { DevTokenVerifier } from '../adapters/auth/dev-token-verifier.js';
import { GoogleTokenVerifier } from '../adapters/auth/google-token-verifier.js';
import { createBlobStore } from '../adapters/blob-store/create-blob-store.js';
import { FirestoreAssetRepository } from '../adapters/firestore/firestore-asset-repository.js';
import { getFirestore } from '../adapters/firestore/firestore-client.js';
import type { TokenVerifier } from '../domain/ports/token-verifier.js';
import { taxonomy } from '../domain/taxonomy/taxonomy.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { StaticFeatureFlags } from '../platform/static-feature-flags.js';
import { createApiHandler } from './api-handler.js';
import { AssetService } from './asset-service.js';
import { installFrameworkErrorEnvelope } from './framework-errors.js';
import { buildOpenApiDocument } from './openapi.js';
import { Router, type Route } from './router.js';
import { assetRoutes } from './routes/asset-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { taxonomyRoutes } from './routes/taxonomy-routes.js';

function tokenVerifier(config: Config): TokenVerifier {
  if (config.auth.mode === 'dev') return new DevTokenVerifier();
  return new GoogleTokenVerifier(config.projectId, config.auth.audience ?? config.projectId);
}

export function createApiFunction(config: Config, logger: Logger) {
  installFrameworkErrorEnvelope(logger, config.maxRequestBytes);
  const blobStore = createBlobStore(config);
  const service = new AssetService({
    repository: new FirestoreAssetRepository(getFirestore(config.projectId), config.assetsCollection, config.firestoreDeadlineMs),
    blobStore,
    flags: new StaticFeatureFlags(config.flagDefaults),
    taxonomy,
  });
  const routes: Route[] = [
    ...healthRoutes(),
    ...taxonomyRoutes(taxonomy),
    ...assetRoutes({ service, blobStore, maxRequestBytes: config.maxRequestBytes }),
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
  });
}
