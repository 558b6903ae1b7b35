/**
 * The Firestore adapters held to the port contracts, against the emulator (the root hooks empty it
 * before every test). The client is the production one (`ignoreUndefinedProperties`), and the
 * adapters are built as the functions build them.
 */
import { firestoreAssetStore } from '../../functions/adapters/firestore/firestore-asset-store.js';
import { FirestoreCheckpointStore } from '../../functions/adapters/firestore/firestore-checkpoint-store.js';
import { getFirestore } from '../../functions/adapters/firestore/firestore-client.js';
import { HistoryLog } from '../../functions/adapters/firestore/firestore-history.js';
import { deletedCollectionOf, HISTORY_SUBCOLLECTION, sequencesCollectionOf } from '../../functions/adapters/firestore/stored-names.js';
import { FirestoreIdempotencyStore } from '../../functions/adapters/firestore/firestore-idempotency-store.js';
import { FirestoreLegacyCredentials } from '../../functions/adapters/firestore/firestore-legacy-credentials.js';
import { FirestoreImportTarget } from '../../functions/cutover/adapters/firestore-import-target.js';
import type { LegacyDocument } from '../../functions/cutover/legacy-asset.js';
import { FirestoreAlbumArtStore, FirestoreOutbox } from '../../functions/album-art/index.js';
import { FirestoreFeatureFlags } from '../../functions/operations/adapters/firestore-feature-flags.js';
import { FirestoreMigrationStore } from '../../functions/migration/adapters/firestore-migration-store.js';
import { createLogger } from '../../functions/platform/logger.js';
import { testHistoryRecorder } from '../support/history-recorder.js';
import { TEST_PROJECT } from '../support/test-environment.js';
import type { MakeAssetStore } from './asset-documents.js';
import { describeAssetQueriesContract } from './asset-queries.contract.js';
import { describeAssetWritesContract } from './asset-writes.contract.js';
import { describeDeletedAssetsContract } from './deleted-assets.contract.js';
import { describeAlbumArtStoreContract } from './album-art-store.contract.js';
import { describeCheckpointStoreContract, testCheckpointSchema } from './checkpoint-store.contract.js';
import { describeMigrationStoreContract } from './migration-store.contract.js';
import { describeFeatureFlagsContract } from './feature-flags.contract.js';
import { describeHistoryReaderContract } from './history-reader.contract.js';
import { describeIdempotencyStoreContract } from './idempotency-store.contract.js';
import { describeImportTargetContract } from './import-target.contract.js';
import { describeLegacyCredentialsContract } from './legacy-credentials.contract.js';
import { describeOutboxStoreContract } from './outbox-store.contract.js';

const ASSETS = 'assets';
const DEADLINE_MS = 15_000;

const makeAssetStore: MakeAssetStore = (options = {}) => {
  const db = getFirestore(TEST_PROJECT);
  return Promise.resolve({
    ...firestoreAssetStore(db, ASSETS, { deadlineMs: DEADLINE_MS, historyRecorder: testHistoryRecorder(), onWrite: options.onWrite }),
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
describeImportTargetContract('Firestore', () => {
  const db = getFirestore(TEST_PROJECT);
  const assets = db.collection(ASSETS);
  const sequences = db.collection(sequencesCollectionOf(ASSETS));
  return Promise.resolve({
    target: new FirestoreImportTarget(db, ASSETS, { writer: 'import', actor: 'operator@example.com' }, testHistoryRecorder(), DEADLINE_MS),
    async put(id, document) {
      await assets.doc(id).set(document);
    },
    async markDeleted(id) {
      await db.collection(deletedCollectionOf(ASSETS)).doc(id).set({ name: 'deleted' });
    },
    async putCounter(key, last) {
      await sequences.doc(key).set({ last });
    },
    stored: async (id) => (await assets.doc(id).get()).data() as LegacyDocument | undefined,
    counter: async (key) => (await sequences.doc(key).get()).get('last') as number | undefined,
    historyCount: async (id) => (await assets.doc(id).collection(HISTORY_SUBCOLLECTION).get()).size,
  });
});
describeAlbumArtStoreContract('Firestore', () => {
  const assets = getFirestore(TEST_PROJECT).collection(ASSETS);
  return Promise.resolve({
    store: new FirestoreAlbumArtStore(getFirestore(TEST_PROJECT), ASSETS, 'album-art', testHistoryRecorder(), DEADLINE_MS),
    async put(id, document) {
      await assets.doc(id).set(document);
    },
    stored: async (id) => (await assets.doc(id).get()).data(),
    historyCount: async (id) => (await assets.doc(id).collection(HISTORY_SUBCOLLECTION).get()).size,
  });
});
describeCheckpointStoreContract('Firestore', () =>
  Promise.resolve(
    () =>
      new FirestoreCheckpointStore(
        getFirestore(TEST_PROJECT),
        'contract-run',
        'operator@example.com',
        { collection: 'checkpoints', schema: testCheckpointSchema, label: 'The contract run' },
        DEADLINE_MS,
      ),
  ),
);
describeMigrationStoreContract('Firestore', () => {
  const db = getFirestore(TEST_PROJECT);
  const assets = db.collection(ASSETS);
  return Promise.resolve({
    store: new FirestoreMigrationStore(db, assets, { migrationId: 'contract-migration', operator: 'operator@example.com', retentionDays: 30 }),
    collection: ASSETS,
    async put(id, document) {
      await assets.doc(id).set(document);
    },
    stored: async (id) => (await assets.doc(id).get()).data(),
  });
});
