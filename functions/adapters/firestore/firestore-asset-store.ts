/** The asset's three Firestore adapters over one assets collection, built as the functions and the tests build them. */
import type { Firestore } from '@google-cloud/firestore';
import type { AssetStore } from '../../domain/ports/asset-store.js';
import { FirestoreAssetQueries } from './firestore-asset-queries.js';
import { FirestoreAssetWrites, type FirestoreAssetWritesOptions } from './firestore-asset-writes.js';
import { FirestoreDeletedAssets } from './firestore-deleted-assets.js';

export function firestoreAssetStore(db: Firestore, collection: string, options: FirestoreAssetWritesOptions): AssetStore {
  return {
    writes: new FirestoreAssetWrites(db, collection, options),
    queries: new FirestoreAssetQueries(db, collection, options.deadlineMs),
    deleted: new FirestoreDeletedAssets(db, collection, options.deadlineMs),
  };
}
