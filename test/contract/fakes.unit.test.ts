/** The in-memory fakes (test/support/fakes/) held to the port contracts the Firestore adapters pass. */
import { InMemoryAlbumArtStore } from '../support/fakes/in-memory-album-art-store.js';
import { InMemoryBlobStore } from '../support/fakes/in-memory-blob-store.js';
import { CheckpointDocument, InMemoryCheckpointStore } from '../support/fakes/in-memory-checkpoint-store.js';
import { InMemoryMigrationStore } from '../support/fakes/in-memory-migration-store.js';
import { InMemoryHostRateLimiter } from '../support/fakes/in-memory-host-rate-limiter.js';
import { InMemoryAssetStore } from '../support/fakes/in-memory-asset-store.js';
import { InMemoryFeatureFlags } from '../support/fakes/in-memory-feature-flags.js';
import { InMemoryImportTarget } from '../support/fakes/in-memory-import-target.js';
import { InMemoryIdempotencyStore } from '../support/fakes/in-memory-idempotency-store.js';
import { InMemoryLegacyCredentials } from '../support/fakes/in-memory-legacy-credentials.js';
import { describeAssetQueriesContract } from './asset-queries.contract.js';
import { describeAssetWritesContract } from './asset-writes.contract.js';
import { describeDeletedAssetsContract } from './deleted-assets.contract.js';
import type { MakeAssetStore } from './asset-documents.js';
import { describeAlbumArtStoreContract } from './album-art-store.contract.js';
import { describeBlobStoreContract } from './blob-store.contract.js';
import { describeCheckpointStoreContract, type TestCheckpoint } from './checkpoint-store.contract.js';
import { describeMigrationStoreContract } from './migration-store.contract.js';
import { describeHostRateLimiterContract } from './host-rate-limiter.contract.js';
import { describeFeatureFlagsContract } from './feature-flags.contract.js';
import { describeHistoryReaderContract } from './history-reader.contract.js';
import { describeIdempotencyStoreContract } from './idempotency-store.contract.js';
import { describeImportTargetContract } from './import-target.contract.js';
import { describeLegacyCredentialsContract } from './legacy-credentials.contract.js';
import { describeOutboxStoreContract } from './outbox-store.contract.js';

const makeAssetStore: MakeAssetStore = (options = {}) => Promise.resolve(new InMemoryAssetStore(options));

describeAssetWritesContract('in memory', makeAssetStore);
describeAssetQueriesContract('in memory', makeAssetStore);
describeDeletedAssetsContract('in memory', makeAssetStore);
describeHistoryReaderContract('in memory', makeAssetStore);
describeOutboxStoreContract('in memory', makeAssetStore);
describeIdempotencyStoreContract('in memory', (times) => Promise.resolve(new InMemoryIdempotencyStore(times)));
describeFeatureFlagsContract('in memory', (values) => Promise.resolve(new InMemoryFeatureFlags(values)));
describeLegacyCredentialsContract('in memory', () => Promise.resolve(new InMemoryLegacyCredentials()));
describeImportTargetContract('in memory', () => {
  const target = new InMemoryImportTarget();
  return Promise.resolve({
    target,
    put: (id, document) => Promise.resolve(target.put(id, document)),
    markDeleted: (id) => Promise.resolve(target.markDeleted(id)),
    putCounter: (key, last) => Promise.resolve(target.putCounter(key, last)),
    stored: (id) => Promise.resolve(target.stored(id)),
    counter: (key) => Promise.resolve(target.counter(key)),
    historyCount: (id) => Promise.resolve(target.historyCount(id)),
  });
});
describeAlbumArtStoreContract('in memory', () => {
  const store = new InMemoryAlbumArtStore();
  return Promise.resolve({
    store,
    put: (id, document) => Promise.resolve(store.put(id, document)),
    stored: (id) => Promise.resolve(store.stored(id)),
    historyCount: (id) => Promise.resolve(store.historyCount(id)),
  });
});
describeBlobStoreContract('in memory', () => Promise.resolve(new InMemoryBlobStore()));
describeCheckpointStoreContract('in memory', () => {
  const document = new CheckpointDocument<TestCheckpoint>();
  return Promise.resolve(() => new InMemoryCheckpointStore(document));
});
describeMigrationStoreContract('in memory', () => {
  const store = new InMemoryMigrationStore();
  return Promise.resolve({
    store,
    collection: 'assets',
    put: (id, document) => Promise.resolve(store.put(id, document)),
    stored: (id) => Promise.resolve(store.stored(id)),
  });
});
describeHostRateLimiterContract('in memory', (perMinute, clock) => Promise.resolve(new InMemoryHostRateLimiter(perMinute, clock)));
