/**
 * Deleted assets within their retention (tombstones): read for an admin's list, the purge sweep and
 * the checks that keep a deleted asset's address and album art reserved. Soft delete and restore,
 * which move an asset between the live and the deleted ones, are writes (asset-writes.ts).
 */
import type { StoredAsset } from '../stored-asset.js';

export interface DeletedAsset {
  asset: StoredAsset;
  deletedBy: string;
  deletedAt: string;
  reason?: string;
  purgeAt: string;
  /** Composites (ids) that named the asset when an admin forced its deletion. */
  forcedComposites: string[];
}

export interface DeletedAssets {
  getDeleted(id: string): Promise<DeletedAsset | undefined>;
  /** Deleted assets, most recently deleted first. */
  listDeleted(limit: number, after?: string): Promise<{ items: DeletedAsset[]; next?: string }>;
  /** Deleted assets whose retention ended at or before `now`, oldest first. */
  expiredDeleted(now: Date, limit: number): Promise<DeletedAsset[]>;
  /** Forgets a deleted asset (after its files are cleaned up); no listing shows it, so no listener hears it. */
  removeDeleted(id: string): Promise<void>;
  /** Whether a deleted asset has this base HFN or MFA. */
  isDeletedAddress(kind: 'hfn' | 'mfa', base: string): Promise<boolean>;
  /** Whether a live or deleted asset other than `exceptId` uses album art with this content key. */
  albumArtInUse(contentKey: string, exceptId: string): Promise<boolean>;
}
