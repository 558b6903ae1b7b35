/**
 * The Firestore adapters held to the port contracts, against the emulator (the root hooks empty it
 * before every test). The client is the production one (`ignoreUndefinedProperties`), and the
 * adapters are built as the functions build them.
 */
import { firestoreAssetStore } from '../../functions/adapters/firestore/firestore-asset-store.js';
import { getFirestore } from '../../functions/adapters/firestore/firestore-client.js';
import { HistoryLog } from '../../functions/adapters/firestore/firestore-history.js';
import { FirestoreIdempotencyStore } from '../../functions/adapters/firestore/firestore-idempotency-store.js';
import { FirestoreLegacyCredentials } from '../../functions/adapters/firestore/firestore-legacy-credentials.js';
import { FirestoreOutbox } from '../../functions/album-art/index.js';
import { FirestoreFeatureFlags } from '../../functions/operations/adapters/firestore-feature-flags.js';
import { createLogger } from '../../functions/platform/logger.js';
import { TEST_PROJECT } from '../support/test-environment.js';
import type { MakeAssetStore } from './asset-documents.js';
import { describeAssetQueriesContract } from './asset-queries.contract.js';
import { describeAssetWritesContract } from './asset-writes.contract.js';
import { describeDeletedAssetsContract } from './deleted-assets.contract.js';
import { describeFeatureFlagsContract } from './feature-flags.contract.js';
import { describeHistoryReaderContract } from './history-reader.contract.js';
import { describeIdempotencyStoreContract } from './idempotency-store.contract.js';
import { describeLegacyCredentialsContract } from './legacy-credentials.contract.js';
import { describeOutboxStoreContract } from './outbox-store.contract.js';

const ASSETS = 'assets';
const DEADLINE_MS = 15_000;

const makeAssetStore: MakeAssetStore = (options = {}) => {
  const db = getFirestore(TEST_PROJECT);
  return Promise.resolve({
    ...firestoreAssetStore(db, ASSETS, { deadlineMs: DEADLINE_MS, onWrite: options.onWrite }),
    history: new HistoryLog(db, ASSETS, DEADLINE_MS),
    outbox: new FirestoreOutbox(db, DEADLINE_MS),
    async seed(id, document) {
      await db.collection(ASSETS).doc(id).set(document);
    },
  });
};

describeAssetWritesContract('Firestore', makeAssetStore);
describeAssetQueriesContract('Firestore', makeAssetStore);
describeDeletedAssetsContract('Firestore', makeAssetStore);
describeHistoryReaderContract('Firestore', makeAssetStore);
describeOutboxStoreContract('Firestore', makeAssetStore);
describeIdempotencyStoreContract('Firestore', (times) => Promise.resolve(new FirestoreIdempotencyStore(getFirestore(TEST_PROJECT), times, DEADLINE_MS)));
describeFeatureFlagsContract('Firestore', async (values) => {
  const db = getFirestore(TEST_PROJECT);
  if (Object.keys(values).length > 0) await db.doc('config/flags').set({ values });
  return new FirestoreFeatureFlags(db, { document: 'config/flags', cacheTtlMs: 0, envOverrides: {}, logger: createLogger('ERROR') });
});
describeFeatureFlagsContract('Firestore, set through the environment', (values) =>
  Promise.resolve(
    new FirestoreFeatureFlags(getFirestore(TEST_PROJECT), { document: 'config/flags', cacheTtlMs: 0, envOverrides: values, logger: createLogger('ERROR') }),
  ),
);
describeLegacyCredentialsContract('Firestore', () =>
  Promise.resolve(new FirestoreLegacyCredentials(getFirestore(TEST_PROJECT), 'legacy_credentials', DEADLINE_MS)),
);
