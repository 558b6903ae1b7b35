/**
 * The asset repository as the API's writes use it: every write that can change what a listing shows
 * invalidates this instance's shared listing pages once it has finished (committed or not: a write
 * that timed out may still have committed), before its answer is sent. So a client never gets a
 * shared page older than a write it saw complete on this instance.
 */
import type { WriteFence } from '../domain/ports/idempotency-store.js';
import type { HistoryContext } from '../domain/history-entry.js';
import type {
  AssetListQuery,
  AssetPage,
  AssetRepository,
  DeletedAsset,
  MatchCount,
  MatchFilters,
  MatchPage,
  MatchQuery,
  OutboxWrites,
  SequenceAllocator,
  SoftDeleteRequest,
} from '../domain/ports/asset-repository.js';
import type { StoredAsset, StoredAssetDocument } from '../domain/stored-asset.js';

export class InvalidatingRepository implements AssetRepository {
  constructor(
    private readonly inner: AssetRepository,
    private readonly invalidate: () => void,
  ) {}

  private async writing<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      this.invalidate();
    }
  }

  create(
    sequenceKey: string,
    build: (sequence: number) => StoredAssetDocument,
    history: HistoryContext,
    outbox?: OutboxWrites,
    fence?: WriteFence,
  ): Promise<StoredAsset> {
    return this.writing(this.inner.create(sequenceKey, build, history, outbox, fence));
  }

  update(
    id: string,
    change: (current: StoredAsset, allocate: SequenceAllocator) => Promise<StoredAssetDocument>,
    history: HistoryContext,
    outbox?: OutboxWrites,
    fence?: WriteFence,
  ): Promise<StoredAsset> {
    return this.writing(this.inner.update(id, change, history, outbox, fence));
  }

  delete(id: string, history: HistoryContext): Promise<void> {
    return this.writing(this.inner.delete(id, history));
  }

  softDelete(id: string, request: SoftDeleteRequest): Promise<DeletedAsset> {
    return this.writing(this.inner.softDelete(id, request));
  }

  restore(id: string, actor: string, now: Date): Promise<StoredAsset> {
    return this.writing(this.inner.restore(id, actor, now));
  }

  // Reads, and the purge of deleted assets (which no listing shows), go straight through.
  get(id: string): Promise<StoredAsset | undefined> {
    return this.inner.get(id);
  }

  findByAddress(kind: 'hfn' | 'mfa', base: string): Promise<StoredAsset | undefined> {
    return this.inner.findByAddress(kind, base);
  }

  findByStoredAddress(text: string): Promise<StoredAsset | undefined> {
    return this.inner.findByStoredAddress(text);
  }

  getDeleted(id: string): Promise<DeletedAsset | undefined> {
    return this.inner.getDeleted(id);
  }

  listDeleted(limit: number, after?: string): Promise<{ items: DeletedAsset[]; next?: string }> {
    return this.inner.listDeleted(limit, after);
  }

  expiredDeleted(now: Date, limit: number): Promise<DeletedAsset[]> {
    return this.inner.expiredDeleted(now, limit);
  }

  removeDeleted(id: string): Promise<void> {
    return this.inner.removeDeleted(id);
  }

  albumArtInUse(contentKey: string, exceptId: string): Promise<boolean> {
    return this.inner.albumArtInUse(contentKey, exceptId);
  }

  isDeletedAddress(kind: 'hfn' | 'mfa', base: string): Promise<boolean> {
    return this.inner.isDeletedAddress(kind, base);
  }

  list(query: AssetListQuery): Promise<AssetPage> {
    return this.inner.list(query);
  }

  readMatching(query: MatchQuery): Promise<MatchPage> {
    return this.inner.readMatching(query);
  }

  countMatching(query: MatchFilters): Promise<MatchCount> {
    return this.inner.countMatching(query);
  }
}
