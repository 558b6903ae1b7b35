/**
 * What the API's route groups share, built once per instance and without I/O: the runtime, the
 * asset store, the token verifier, and the services more than one group (or the start-up work) uses,
 * each built on its first use. A route group takes what it needs from here and wires the rest itself.
 */
import { DevTokenVerifier } from '../adapters/auth/dev-token-verifier.js';
import { FirebaseOrOtherVerifier, FirebaseTokenVerifier } from '../adapters/auth/firebase-token-verifier.js';
import { SequenceJournalFile } from '../adapters/local-files/sequence-journal-file.js';
import { firestoreAssetStore } from '../adapters/firestore/firestore-asset-store.js';
import type { OutboxRelay } from '../album-art/index.js';
import type { AlbumArtDisplay } from '../domain/album-art-view.js';
import type { AssetStore } from '../domain/ports/asset-store.js';
import type { Principal, ServiceAccountRoles, TokenVerifier } from '../domain/ports/token-verifier.js';
import { taxonomy, type Taxonomy } from '../domain/taxonomy/taxonomy.js';
import type { ProcessMetrics } from '../operations/adapters/create-metrics.js';
import type { Config } from '../platform/config.js';
import { lazyLoad } from '../platform/lazy-load.js';
import type { Logger } from '../platform/logger.js';
import type { Runtime } from '../runtime.js';
import type { AssetUseCases } from '../assets/asset-use-cases.js';
import type { ListingPage } from './listing-page.js';
import type { SharedListings } from './shared-listings.js';

export interface ApiContext {
  readonly runtime: Runtime;
  readonly config: Config;
  readonly logger: Logger;
  readonly taxonomy: Taxonomy;
  /** The asset's ports; every write through them invalidates this instance's shared listing pages. */
  readonly assets: AssetStore;
  readonly verifier: TokenVerifier;
  metrics(): ProcessMetrics;
  /** Responses show album art in the shape the ALBUM_ART_AS_URL flag names (read through the flags cache). */
  albumArtShape(): Promise<AlbumArtDisplay>;
  /** The album-art outbox's relay: the asset writes and the start-up redrive publish through it. */
  relay(): Promise<OutboxRelay>;
  /** Identical listing pages in flight share one read; every asset write invalidates them (the asset store's write listener). */
  sharedListings(): Promise<SharedListings<ListingPage>>;
  /** The asset use cases: the asset routes and the start-up sweep of deleted assets use them. */
  assetUseCases(): Promise<AssetUseCases>;
}

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

export function createApiContext(runtime: Runtime): ApiContext {
  const { config, logger } = runtime;
  const firestore = runtime.firestore();
  // Built on the first listing; until then no shared page exists for a write to invalidate.
  let builtListings: SharedListings<ListingPage> | undefined;
  const assets = firestoreAssetStore(firestore, config.assetsCollection, {
    deadlineMs: config.firestoreDeadlineMs,
    historyRecorder: runtime.historyRecorder(),
    journal: config.sequenceJournalFile === undefined ? undefined : new SequenceJournalFile(config.sequenceJournalFile),
    onWrite: () => builtListings?.invalidate(),
  });
  const relay = lazyLoad(async () => {
    const { FirestoreOutbox, OutboxRelay, PubSubPublisher } = await import('../album-art/index.js');
    return new OutboxRelay(
      new FirestoreOutbox(firestore, config.firestoreDeadlineMs),
      new PubSubPublisher(config.projectId),
      logger.child({ function: 'api' }),
    );
  });
  const sharedListings = lazyLoad(async () => {
    const { SharedListings } = await import('./shared-listings.js');
    builtListings = new SharedListings<ListingPage>({ maxAgeMs: config.listingShareMs });
    return builtListings;
  });
  const assetUseCases = lazyLoad(async () => {
    const [{ assetUseCases: build }, { AlbumArtRequests, ContentAddressedAlbumArtFiles }, { HistoryLog }] = await Promise.all([
      import('../assets/asset-use-cases.js'),
      import('../album-art/index.js'),
      import('../adapters/firestore/firestore-history.js'),
    ]);
    const flags = runtime.flags();
    return build({
      ...assets,
      blobStore: runtime.blobStore('assets'),
      flags,
      taxonomy,
      albumArt: new AlbumArtRequests({ flags, relay: await relay(), topic: config.albumArt.topic }),
      history: new HistoryLog(firestore, config.assetsCollection, config.firestoreDeadlineMs),
      albumArtFiles: new ContentAddressedAlbumArtFiles(runtime.blobStore('albumArt')),
      deletedRetentionDays: config.dataSafety.deletedRetentionDays,
      metrics: runtime.metrics().metrics,
    });
  });
  return {
    runtime,
    config,
    logger,
    taxonomy,
    assets,
    verifier: tokenVerifier(config),
    metrics: () => runtime.metrics(),
    albumArtShape: async () => ({
      shape: (await runtime.flags().isEnabled('ALBUM_ART_AS_URL')) ? 'url' : 'object',
      allowedHosts: config.albumArt.allowedHosts,
    }),
    relay,
    sharedListings,
    assetUseCases,
  };
}
