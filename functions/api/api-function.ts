/**
 * Wires the API from the runtime: adapters in, handler out. Nothing here does I/O before the first
 * request, and nothing loads that the first request does not use: the route groups
 * (route-groups/) load their modules, services and schemas on the first request that matches them,
 * and only the reads of one asset and what every request needs (configuration, logger, router, auth
 * policy) load at start. The outbox redrive and the deleted-assets sweep start once the first answer
 * is sent, and the token verifiers (firebase-admin, google-auth-library) load their libraries on the
 * first token they check.
 */
import { leaveFrameworkDomain } from '../platform/framework-domain.js';
import { lazyLoad } from '../platform/lazy-load.js';
import type { Runtime } from '../runtime.js';
import { createApiContext } from './api-context.js';
import { createApiHandler } from './api-handler.js';
import { deferRequestBodies } from '../platform/request-bodies.js';
import { OPENAPI } from './endpoints.js';
import { installFrameworkErrorEnvelope } from './framework-errors.js';
import type { ApiRequest, ApiResponse, RouteResult } from './http-types.js';
import { lazyRoutesOf } from './route-groups/route-group.js';
import { ROUTE_GROUPS } from './route-groups/route-groups.js';
import { Router } from './router.js';

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
  // Before functions-framework builds its server: every route reads its own body, with its own limit.
  deferRequestBodies();
  const context = createApiContext(runtime);
  const { verifier, relay, assetService } = context;
  const { metrics } = runtime.metrics();
  const router: Router = new Router([
    ...ROUTE_GROUPS.map((group) => lazyRoutesOf(group, context)),
    {
      ...OPENAPI.document,
      access: 'public',
      summary: 'This document',
      // Built on first request: it loads every route group, and with them every schema the document is generated from.
      handler: lazyLoad(async (): Promise<RouteResult> => {
        const { buildOpenApiDocument } = await import('./openapi.js');
        return { raw: buildOpenApiDocument(await router.routes()) };
      }),
    },
  ]);
  const handler = createApiHandler({
    router,
    auth: {
      verifier,
      publicReads: config.auth.publicReads,
      unsignedTokensFromLoopbackOnly: (config.auth.mode === 'dev' || config.auth.authEmulatorHost !== undefined) && !config.auth.devTokensFromNetwork,
    },
    logger,
    projectId: config.projectId,
    corsOrigins: config.corsOrigins,
    metrics,
  });
  let startUpWork: Promise<unknown> | undefined;
  const api = async (request: ApiRequest, response: ApiResponse): Promise<void> => {
    leaveFrameworkDomain();
    await handler(request, response);
    if (startUpWork) return;
    // Each new instance republishes album-art jobs whose publish was lost and purges deleted assets
    // past their retention (Cloud Scheduler jobs do both too, so a missed job does not leave them for
    // the TTL, which would orphan their files); after its first answer is sent, since that answer
    // needs none of it (their modules load then too). Neither rejects: each logs its own failure.
    startUpWork = Promise.all([
      relay()
        .then((outbox) => outbox.redrive(config.albumArt.redriveAfterMs))
        .catch((error: unknown) => logger.warn('outbox redrive after the first request failed', { error })),
      assetService()
        .then((service) => service.purgeExpired(100))
        .then((purged) => purged > 0 && logger.info('purged deleted assets past their retention', { purged }))
        .catch((error: unknown) => logger.warn('sweep of deleted assets after the first request failed', { error })),
    ]);
  };
  return Object.assign(api, { startUpWorkDone: async () => void (await startUpWork) });
}
