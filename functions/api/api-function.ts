/**
 * Wires the API from the runtime: adapters in, handler out. Nothing here does I/O before the first
 * request, and nothing loads that the first request does not use (issue 16): the route groups load
 * their modules, services and schemas on the first request that matches them (router.ts), only the
 * reads of one asset and what every request needs (configuration, logger, router, auth policy) load
 * at start. The outbox redrive and the deleted-assets sweep start once the first answer is sent, and
 * the token verifiers (firebase-admin, google-auth-library) load their libraries on the first token
 * they check.
 */
import { DevTokenVerifier } from '../adapters/auth/dev-token-verifier.js';
import { FirebaseOrOtherVerifier, FirebaseTokenVerifier } from '../adapters/auth/firebase-token-verifier.js';
import { FirestoreAssetRepository, sequencesCollectionOf } from '../adapters/firestore/firestore-asset-repository.js';
import type { Firestore } from '@google-cloud/firestore';
import type { AlbumArtShape } from '../domain/album-art-view.js';
import type { IdentityProvider } from '../domain/ports/identity-provider.js';
import type { Principal, ServiceAccountRoles, TokenVerifier } from '../domain/ports/token-verifier.js';
import { taxonomy } from '../domain/taxonomy/taxonomy.js';
import type { Config } from '../platform/config.js';
import { lazyLoad } from '../platform/lazy-load.js';
import type { Runtime } from '../runtime.js';
import { createApiHandler } from './api-handler.js';
import { AssetLookup } from './asset-lookup.js';
import { deferRequestBodies } from '../platform/request-bodies.js';
import { installFrameworkErrorEnvelope } from './framework-errors.js';
import type { ApiRequest, ApiResponse, RouteResult } from './http-types.js';
import type { ListingPage } from './listing-page.js';
import { Router, type LazyRoutes, type Route, type RouteKey } from './router.js';

/**
 * Firebase ID tokens (sign-in) everywhere; besides them dev tokens locally, Google identity tokens
 * elsewhere. firebase-admin and google-auth-library both load on the first token that needs them.
 */
function tokenVerifier(config: Config): TokenVerifier {
  const other =
    config.auth.mode === 'dev' ? new DevTokenVerifier() : lazyGoogleVerifier(config.auth.audience ?? config.projectId, config.auth.serviceAccountRoles);
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

/** Imported users' old passwords (bcryptjs, the Firestore credentials), with the sign-in routes. */
async function legacyPasswordModules() {
  const [{ LegacyPasswords }, { FirestoreLegacyCredentials }, { BcryptPasswordCheck }] = await Promise.all([
    import('./legacy-password-adoption.js'),
    import('../adapters/firestore/firestore-legacy-credentials.js'),
    import('../adapters/auth/bcrypt-password-check.js'),
  ]);
  return {
    create: (firestore: Firestore, collection: string, deadlineMs: number, identity: IdentityProvider) =>
      new LegacyPasswords({ credentials: new FirestoreLegacyCredentials(firestore, collection, deadlineMs), check: new BcryptPasswordCheck(), identity }),
  };
}

/** A route group whose module (and whatever `load` imports) loads on its first matching request. */
function lazyRoutes(keys: readonly RouteKey[], load: () => Promise<readonly Route[]>): LazyRoutes {
  return { keys, load };
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
  // Before functions-framework builds its server: every route reads its own body, with its own limit.
  deferRequestBodies();
  const firestore = runtime.firestore();
  const { metrics, flush } = runtime.metrics();
  const repository = new FirestoreAssetRepository(firestore, config.assetsCollection, config.firestoreDeadlineMs);
  const safety = config.dataSafety;
  const relay = lazyLoad(async () => {
    const { FirestoreOutbox, OutboxRelay, PubSubPublisher } = await import('../album-art/index.js');
    return new OutboxRelay(
      new FirestoreOutbox(firestore, config.firestoreDeadlineMs),
      new PubSubPublisher(config.projectId),
      logger.child({ function: 'api' }),
    );
  });
  // Responses show album art in the shape the ALBUM_ART_AS_URL flag names (read through the flags cache).
  const albumArtShape = async (): Promise<AlbumArtShape> => ((await runtime.flags().isEnabled('ALBUM_ART_AS_URL')) ? 'url' : 'object');
  const sharedListings = lazyLoad(async () => {
    const { SharedListings } = await import('./shared-listings.js');
    return new SharedListings<ListingPage>({ maxAgeMs: config.listingShareMs });
  });
  const assetService = lazyLoad(async () => {
    const [{ AssetService }, { AlbumArtRequests, ContentAddressedAlbumArtFiles }, { HistoryLog }, { InvalidatingRepository }, listings] = await Promise.all([
      import('./asset-service.js'),
      import('../album-art/index.js'),
      import('../adapters/firestore/firestore-history.js'),
      import('./invalidating-repository.js'),
      sharedListings(),
    ]);
    const flags = runtime.flags();
    return new AssetService({
      // Every write through this instance invalidates its shared listing pages.
      repository: new InvalidatingRepository(repository, () => listings.invalidate()),
      blobStore: runtime.blobStore('assets'),
      flags,
      taxonomy,
      albumArt: new AlbumArtRequests({ flags, relay: await relay(), topic: config.albumArt.topic }),
      history: new HistoryLog(firestore, config.assetsCollection, config.firestoreDeadlineMs),
      albumArtFiles: new ContentAddressedAlbumArtFiles(runtime.blobStore('albumArt')),
      deletedRetentionDays: safety.deletedRetentionDays,
      metrics,
    });
  });
  const verifier = tokenVerifier(config);
  const router: Router = new Router([
    lazyRoutes(['GET /api/health', 'GET /api/health/ready'], async () => {
      const [{ healthRoutes }, { ReadinessProbe }, checks, { ClamdScanner }] = await Promise.all([
        import('./routes/health-routes.js'),
        import('../operations/health/readiness.js'),
        import('../operations/health/dependency-checks.js'),
        import('../adapters/clamd/clamd-scanner.js'),
      ]);
      const readiness = new ReadinessProbe(config.readinessTimeoutMs).register(
        checks.firestoreCheck(firestore, config.flags.document),
        checks.blobStoreCheck(runtime.blobStore('assets')),
        checks.pubSubCheck(config.projectId),
      );
      if (config.albumArt.scan === 'required') {
        readiness.register(checks.scannerCheck(new ClamdScanner(config.albumArt.clamdAddress, config.albumArt.clamdTimeoutMs), true));
      }
      return healthRoutes(readiness);
    }),
    lazyRoutes(
      [
        'GET /api/taxonomy/layers',
        'GET /api/taxonomy/layers/:layer/categories',
        'GET /api/taxonomy/layers/:layer/categories/:category/subcategories',
        'GET /api/taxonomy/health',
        'GET /api/taxonomy/version',
        'GET /api/taxonomy/index',
        'GET /api/taxonomy/layer-count',
        'GET /api/taxonomy/layers/:layer/category-count',
        'GET /api/taxonomy/layers/:layer/categories/:category/subcategory-count',
        'GET /api/taxonomy/layers/:layer/subcategory-counts',
        'POST /api/taxonomy/convert/hfn-to-mfa',
        'POST /api/taxonomy/convert/mfa-to-hfn',
      ],
      async () => (await import('./routes/taxonomy-routes.js')).taxonomyRoutes(taxonomy),
    ),
    // Before the other asset routes, as before the split: /api/assets/nna/:address wins over /api/assets/:id/history.
    lazyRoutes(['GET /api/assets/nna/:address', 'GET /api/assets/:id'], async () =>
      (await import('./routes/asset-read-routes.js')).assetReadRoutes(new AssetLookup(repository, taxonomy), albumArtShape),
    ),
    lazyRoutes(
      [
        'GET /api/assets',
        'GET /api/assets/search',
        'POST /api/assets/search',
        'POST /api/assets',
        'POST /api/assets/upload',
        'PUT /api/assets/:id',
        'PATCH /api/assets/:id',
        'DELETE /api/assets/:id',
        'GET /api/assets/deleted',
        'POST /api/assets/deleted/purge-expired',
        'POST /api/assets/:id/restore',
        'GET /api/assets/:id/history',
        'POST /api/assets/:id/revert',
        'POST /api/assets/:id/album-art',
      ],
      async () => {
        const [{ assetRoutes }, { Idempotency }, { FirestoreIdempotencyStore }, service, listings] = await Promise.all([
          import('./routes/asset-routes.js'),
          import('./idempotency.js'),
          import('../adapters/firestore/firestore-idempotency-store.js'),
          assetService(),
          sharedListings(),
        ]);
        // A claim outlives the slowest create (Firestore deadline, then the file move) before a retry may take it over.
        const idempotencyStore = new FirestoreIdempotencyStore(
          firestore,
          { ttlMs: safety.idempotencyTtlMs, leaseMs: 4 * config.firestoreDeadlineMs },
          config.firestoreDeadlineMs,
        );
        const idempotency = new Idempotency(idempotencyStore, safety.idempotencyWaitMs, undefined, (error) =>
          logger.warn('the answer of a written request could not be recorded under its Idempotency-Key; a retry answers from what it wrote', { error }),
        );
        return assetRoutes({
          service,
          blobStore: runtime.blobStore('assets'),
          maxRequestBytes: config.maxRequestBytes,
          idempotency,
          listings,
          albumArtShape,
        });
      },
    ),
    lazyRoutes(['GET /api/admin/stats', 'GET /api/admin/flags', 'PUT /api/admin/flags', 'GET /api/admin/flags/audit', 'GET /admin'], async () => {
      const [{ adminRoutes }, { StatsService }] = await Promise.all([import('./routes/admin-routes.js'), import('../operations/stats/stats-service.js')]);
      const stats = new StatsService(firestore, {
        metricsCollection: config.metrics.collection,
        migrationsCollection: config.migrationsCollection,
        sequencesCollection: sequencesCollectionOf(config.assetsCollection),
        flush,
        deadlineMs: config.firestoreDeadlineMs,
      });
      return adminRoutes({ flags: runtime.flags(), stats });
    }),
    lazyRoutes(['GET /api', 'GET /'], async () => (await import('./routes/index-routes.js')).indexRoutes()),
    lazyRoutes(
      ['POST /api/auth/login', 'POST /api/auth/register', 'GET /api/auth/profile', 'PUT /api/admin/users/:uid/roles', 'GET /api/admin/roles/audit'],
      async () => {
        const [
          { authRoutes },
          { AuthService },
          { FirebaseIdentityProvider },
          { FirestoreRoleAudit },
          legacy,
          { SignInThrottle },
          { FirestoreAttemptCounters },
        ] = await Promise.all([
          import('./routes/auth-routes.js'),
          import('./auth-service.js'),
          import('../adapters/auth/firebase-identity-provider.js'),
          import('../adapters/firestore/firestore-role-audit.js'),
          legacyPasswordModules(),
          import('./sign-in-throttle.js'),
          import('../adapters/firestore/firestore-attempt-counters.js'),
        ]);
        const { firebaseApiKey, firebaseProjectId, authEmulatorHost } = config.auth;
        const identity = firebaseApiKey
          ? new FirebaseIdentityProvider({ projectId: firebaseProjectId, apiKey: firebaseApiKey, emulatorHost: authEmulatorHost })
          : undefined;
        return authRoutes(
          new AuthService({
            identity,
            verifier,
            registrationRoles: config.auth.registrationRoles,
            audit: new FirestoreRoleAudit(firestore, config.auth.roleAuditCollection),
            throttle: new SignInThrottle({
              counters: new FirestoreAttemptCounters(firestore, config.firestoreDeadlineMs),
              policy: config.auth.signInThrottle,
              clock: runtime.clock,
              onGiveBackFailure: (error) => logger.warn('a successful sign-in could not be uncounted from the throttle', { error }),
            }),
            ...(identity ? { legacyPasswords: legacy.create(firestore, config.auth.legacyCredentialsCollection, config.firestoreDeadlineMs, identity) } : {}),
          }),
        );
      },
    ),
    {
      method: 'GET',
      path: '/api/openapi.json',
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
