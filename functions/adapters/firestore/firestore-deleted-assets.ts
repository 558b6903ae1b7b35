/**
 * Deleted assets in Firestore: one record per deleted asset in `<assets>_deleted`, the asset's
 * document untouched under `asset` (firestore-asset-records.ts). Soft delete and restore write them
 * (firestore-asset-writes.ts); this reads them and forgets them once purged.
 */
import { Timestamp, type CollectionReference, type Firestore } from '@google-cloud/firestore';
import { isStorableDocumentId } from '../../domain/asset-id.js';
import { NotFoundError } from '../../domain/errors.js';
import type { DeletedAsset, DeletedAssets } from '../../domain/ports/deleted-assets.js';
import { toDeletedAsset } from './firestore-asset-records.js';
import { withFirestoreErrors, withFirestoreWrite } from './firestore-errors.js';
import { ASSET_FIELDS, DELETED_FIELDS, deletedCollectionOf } from './stored-names.js';

export class FirestoreDeletedAssets implements DeletedAssets {
  private readonly assets: CollectionReference;
  private readonly deleted: CollectionReference;

  constructor(
    db: Firestore,
    collection: string,
    /** How long one operation may wait for Firestore before the API answers 503. */
    private readonly deadlineMs: number,
  ) {
    this.assets = db.collection(collection);
    this.deleted = db.collection(deletedCollectionOf(collection));
  }

  getDeleted(id: string): Promise<DeletedAsset | undefined> {
    return withFirestoreErrors(async () => {
      if (!isStorableDocumentId(id)) return undefined;
      const snapshot = await this.deleted.doc(id).get();
      return snapshot.exists ? toDeletedAsset(id, snapshot.data()!) : undefined;
    }, this.deadlineMs);
  }

  listDeleted(limit: number, after?: string): Promise<{ items: DeletedAsset[]; next?: string }> {
    return withFirestoreErrors(async () => {
      let query = this.deleted.orderBy(DELETED_FIELDS.deletedAt, 'desc');
      if (after) {
        const position = await this.deleted.doc(after).get();
        if (!position.exists) throw new NotFoundError(`The cursor ${after} names no deleted asset (it was restored or purged); start again without it`);
        query = query.startAfter(position);
      }
      const page = await query.limit(limit + 1).get();
      const items = page.docs.slice(0, limit).map((snapshot) => toDeletedAsset(snapshot.id, snapshot.data()));
      const last = items[items.length - 1];
      return page.docs.length > limit && last ? { items, next: last.asset.id } : { items };
    }, this.deadlineMs);
  }

  expiredDeleted(now: Date, limit: number): Promise<DeletedAsset[]> {
    return withFirestoreErrors(async () => {
      const page = await this.deleted.where(DELETED_FIELDS.purgeAt, '<=', Timestamp.fromDate(now)).orderBy(DELETED_FIELDS.purgeAt).limit(limit).get();
      return page.docs.map((snapshot) => toDeletedAsset(snapshot.id, snapshot.data()));
    }, this.deadlineMs);
  }

  removeDeleted(id: string): Promise<void> {
    return withFirestoreWrite(async () => {
      await this.deleted.doc(id).delete();
    }, this.deadlineMs);
  }

  isDeletedAddress(kind: 'hfn' | 'mfa', base: string): Promise<boolean> {
    return withFirestoreErrors(async () => {
      const page = await this.deleted
        .where(`${DELETED_FIELDS.asset}.${kind === 'hfn' ? ASSET_FIELDS.hfn : ASSET_FIELDS.mfa}`, '==', base)
        .select()
        .limit(1)
        .get();
      return !page.empty;
    }, this.deadlineMs);
  }

  albumArtInUse(contentKey: string, exceptId: string): Promise<boolean> {
    return withFirestoreErrors(async () => {
      // The content key is albumArt.sha256 (content-addressed art) or, before that, the original's.
      const queries = [ASSET_FIELDS.albumArtKey, ASSET_FIELDS.originalAlbumArtKey].flatMap((field) => [
        this.assets.where(field, '==', contentKey),
        this.deleted.where(`${DELETED_FIELDS.asset}.${field}`, '==', contentKey),
      ]);
      const pages = await Promise.all(queries.map((query) => query.select().limit(2).get()));
      return pages.some((page) => page.docs.some((doc) => doc.id !== exceptId));
    }, this.deadlineMs);
  }
}
