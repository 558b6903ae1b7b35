/** The in-memory fakes (test/support/fakes/) held to the port contracts the Firestore adapters pass. */
import { InMemoryAssetStore } from '../support/fakes/in-memory-asset-store.js';
import { InMemoryFeatureFlags } from '../support/fakes/in-memory-feature-flags.js';
import { InMemoryIdempotencyStore } from '../support/fakes/in-memory-idempotency-store.js';
import { InMemoryLegacyCredentials } from '../support/fakes/in-memory-legacy-credentials.js';
import { describeAssetQueriesContract } from './asset-queries.contract.js';
import { describeAssetWritesContract } from './asset-writes.contract.js';
import { describeDeletedAssetsContract } from './deleted-assets.contract.js';
import type { MakeAssetStore } from './asset-documents.js';
import { describeFeatureFlagsContract } from './feature-flags.contract.js';
import { describeHistoryReaderContract } from './history-reader.contract.js';
import { describeIdempotencyStoreContract } from './idempotency-store.contract.js';
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
