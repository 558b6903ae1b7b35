/** DeletedAssets over the in-memory assets. */
import { isStorableDocumentId } from '../../../functions/domain/asset-id.js';
import { NotFoundError } from '../../../functions/domain/errors.js';
import type { DeletedAsset, DeletedAssets } from '../../../functions/domain/ports/deleted-assets.js';
import { compareStrings, fieldOf } from './document-order.js';
import { toDeletedAsset, type AssetState, type Data, type DeletedRecord } from './in-memory-asset-state.js';

export class InMemoryDeletedAssets implements DeletedAssets {
  constructor(private readonly store: AssetState) {}

  getDeleted(id: string): Promise<DeletedAsset | undefined> {
    const record = isStorableDocumentId(id) ? this.store.current.deleted.get(id) : undefined;
    return Promise.resolve(record ? toDeletedAsset(id, record) : undefined);
  }

  /** Deleted assets in an order: by a field, then by id in the same direction (Firestore's implicit order). */
  private deletedBy(field: 'deletedAt' | 'purgeAt', direction: 'asc' | 'desc'): Array<[string, DeletedRecord]> {
    const sign = direction === 'asc' ? 1 : -1;
    return [...this.store.current.deleted].sort(([a, left], [b, right]) => sign * (compareStrings(left[field], right[field]) || compareStrings(a, b)));
  }

  listDeleted(limit: number, after?: string): Promise<{ items: DeletedAsset[]; next?: string }> {
    let ordered = this.deletedBy('deletedAt', 'desc');
    if (after) {
      const index = ordered.findIndex(([id]) => id === after);
      if (index < 0) return Promise.reject(new NotFoundError(`The cursor ${after} names no deleted asset (it was restored or purged); start again without it`));
      ordered = ordered.slice(index + 1);
    }
    const items = ordered.slice(0, limit).map(([id, record]) => toDeletedAsset(id, record));
    const last = items[items.length - 1];
    return Promise.resolve(ordered.length > limit && last ? { items, next: last.asset.id } : { items });
  }

  expiredDeleted(now: Date, limit: number): Promise<DeletedAsset[]> {
    const due = this.deletedBy('purgeAt', 'asc').filter(([, record]) => Date.parse(record.purgeAt) <= now.getTime());
    return Promise.resolve(due.slice(0, limit).map(([id, record]) => toDeletedAsset(id, record)));
  }

  removeDeleted(id: string): Promise<void> {
    return this.store.write((write) => {
      write.state.deleted.delete(id);
    });
  }

  albumArtInUse(contentKey: string, exceptId: string): Promise<boolean> {
    const uses = (data: Data): boolean => ['albumArt.sha256', 'albumArt.original.sha256'].some((field) => fieldOf(data, field) === contentKey);
    const live = [...this.store.current.assets].some(([id, data]) => id !== exceptId && uses(data));
    const deleted = [...this.store.current.deleted].some(([id, record]) => id !== exceptId && uses(record.asset));
    return Promise.resolve(live || deleted);
  }

  isDeletedAddress(kind: 'hfn' | 'mfa', base: string): Promise<boolean> {
    const field = kind === 'hfn' ? '_sys.hfn' : '_sys.mfa';
    return Promise.resolve([...this.store.current.deleted.values()].some((record) => fieldOf(record.asset, field) === base));
  }
}
