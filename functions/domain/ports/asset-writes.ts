/**
 * Writing live assets: each write commits atomically with its history entry, its sequence numbers
 * and its outbox messages. These are every write that changes what a listing shows, and each one
 * tells the store's write listener when it has finished (`AssetWriteListener`).
 */
import type { HistoryContext } from '../history-entry.js';
import type { StoredAsset, StoredAssetDocument } from '../stored-asset.js';
import type { DeletedAsset } from './deleted-assets.js';
import type { WriteFence } from './idempotency-store.js';
import type { OutboxMessage } from './outbox.js';

/** Outbox messages to commit with a write, computed from the asset as written (its id included). */
export type OutboxWrites = (written: StoredAsset) => OutboxMessage[];

/** Draws sequence numbers inside the transaction that writes the asset. */
export type SequenceAllocator = (sequenceKey: string) => Promise<number>;

/**
 * Called once each write has finished, committed or not (a write that timed out may still have
 * committed), before the write's caller goes on: the API clears its shared listing pages here.
 */
export type AssetWriteListener = () => void;

export interface AssetWrites {
  /**
   * Creates an asset with the next number of its sequence; `build` turns the number into the
   * document and may run more than once if the transaction retries.
   */
  create(
    sequenceKey: string,
    build: (sequence: number) => StoredAssetDocument,
    history: HistoryContext,
    outbox?: OutboxWrites,
    /** The Idempotency-Key claim this write commits under (idempotency-store.ts). */
    fence?: WriteFence,
  ): Promise<StoredAsset>;
  /**
   * Replaces an asset with what `change` makes of it, atomically; `change` sees the current asset
   * and may draw a new sequence number. Throws NotFoundError when it does not exist.
   */
  update(
    id: string,
    change: (current: StoredAsset, allocate: SequenceAllocator) => Promise<StoredAssetDocument>,
    history: HistoryContext,
    outbox?: OutboxWrites,
    fence?: WriteFence,
  ): Promise<StoredAsset>;
  /** Removes an asset for good (a create whose file could not be placed). Throws NotFoundError when absent. */
  delete(id: string, history: HistoryContext): Promise<void>;
  /**
   * Moves the asset out of every read path into the deleted assets, atomically, after `check`
   * approves it; its sequence number stays used. Refused (ConflictError) while live composites name
   * it, unless `force`: they then list it in `deletedComponents`.
   */
  softDelete(id: string, request: SoftDeleteRequest): Promise<DeletedAsset>;
  /** Puts a deleted asset back exactly as it was; NotFoundError when not deleted or past its retention. */
  restore(id: string, actor: string, now: Date): Promise<StoredAsset>;
}

export interface SoftDeleteRequest {
  check: (current: StoredAsset) => void;
  deletedBy: string;
  reason?: string | undefined;
  force: boolean;
  now: Date;
  /** The end of the retention: restorable until then, purged after. */
  purgeAt: Date;
}
