/**
 * Assets and deleted assets as Firestore holds them, turned into what the ports return, and the
 * deleted asset's record as a soft delete writes it.
 */
import { Timestamp, type DocumentData, type QueryDocumentSnapshot } from '@google-cloud/firestore';
import type { DeletedAsset } from '../../domain/ports/deleted-assets.js';
import type { StoredAsset, StoredAssetDocument } from '../../domain/stored-asset.js';
import { fromFirestore } from './firestore-values.js';
import { DELETED_FIELDS } from './stored-names.js';

/**
 * After its retention a deleted asset is purged by the sweep (files, album art, then the document);
 * the TTL policy on `expireAt` removes the document this much later only if the sweep never ran, so
 * the sweep normally sees every deleted asset and its files are not orphaned.
 */
const TTL_GRACE_MS = 7 * 24 * 60 * 60 * 1000;

export function toStoredAsset(id: string, data: DocumentData): StoredAsset {
  return { id, document: fromFirestore(data) as StoredAssetDocument };
}

/**
 * An asset of a query's page, with its revision; its document is decoded on first use, so a listing
 * whose views are kept by revision (http/listing-bytes.ts) does not decode the documents it does not
 * rebuild.
 */
export function storedAssetOfSnapshot(snapshot: QueryDocumentSnapshot): StoredAsset {
  let document: StoredAssetDocument | undefined;
  return {
    id: snapshot.id,
    revision: `${snapshot.updateTime.seconds}.${snapshot.updateTime.nanoseconds}`,
    get document(): StoredAssetDocument {
      return (document ??= fromFirestore(snapshot.data()) as StoredAssetDocument);
    },
  };
}

function isoOf(value: unknown): string {
  return value instanceof Timestamp ? value.toDate().toISOString() : String(value);
}

/** A deleted asset as stored: the asset's document untouched under `asset`, the deletion beside it. */
export function toDeletedAsset(id: string, data: DocumentData): DeletedAsset {
  const deleted: DeletedAsset = {
    asset: toStoredAsset(id, data[DELETED_FIELDS.asset] as DocumentData),
    deletedBy: String(data[DELETED_FIELDS.deletedBy]),
    deletedAt: isoOf(data[DELETED_FIELDS.deletedAt]),
    purgeAt: isoOf(data[DELETED_FIELDS.purgeAt]),
    forcedComposites: (data[DELETED_FIELDS.forcedComposites] as string[] | undefined) ?? [],
  };
  const reason: unknown = data[DELETED_FIELDS.reason];
  if (typeof reason === 'string') deleted.reason = reason;
  return deleted;
}

export interface Deletion {
  /** The asset's document as it was stored. */
  asset: DocumentData;
  deletedBy: string;
  reason?: string | undefined;
  now: Date;
  purgeAt: Date;
  forcedComposites: string[];
}

/** The record a soft delete writes, with the `expireAt` its TTL policy reads. */
export function deletedRecordOf(deletion: Deletion): DocumentData {
  const record: DocumentData = {
    [DELETED_FIELDS.asset]: deletion.asset,
    [DELETED_FIELDS.deletedBy]: deletion.deletedBy,
    [DELETED_FIELDS.deletedAt]: Timestamp.fromDate(deletion.now),
    [DELETED_FIELDS.purgeAt]: Timestamp.fromDate(deletion.purgeAt),
    [DELETED_FIELDS.expireAt]: Timestamp.fromMillis(deletion.purgeAt.getTime() + TTL_GRACE_MS),
    [DELETED_FIELDS.forcedComposites]: deletion.forcedComposites,
  };
  if (deletion.reason !== undefined) record[DELETED_FIELDS.reason] = deletion.reason;
  return record;
}
