/**
 * Deleting and bringing back: a soft delete takes the asset out of every read path, restorable
 * until its retention ends; an admin may force it past composites that name it and may purge at
 * once; the sweep purges what is past its retention, files and unshared album art first.
 */
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import type { AlbumArtFiles } from '../domain/ports/album-art-files.js';
import type { AssetQueries } from '../domain/ports/asset-queries.js';
import type { AssetWrites } from '../domain/ports/asset-writes.js';
import { blobNameOfUrl, type BlobStore } from '../domain/ports/blob-store.js';
import type { DeletedAsset, DeletedAssets } from '../domain/ports/deleted-assets.js';
import type { StoredAsset } from '../domain/stored-asset.js';
import type { Clock, CurrentAssetCheck } from './write-rules.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface AssetDeletionDependencies {
  writes: Pick<AssetWrites, 'softDelete' | 'restore'>;
  queries: Pick<AssetQueries, 'get'>;
  deleted: DeletedAssets;
  blobStore: BlobStore;
  /** Album-art files to remove when a deleted asset is purged; without it album art is left alone. */
  albumArtFiles?: AlbumArtFiles | undefined;
  /** How long a deleted asset can be restored. */
  deletedRetentionDays: number;
  clock: Clock;
}

export interface DeleteRequest {
  check: CurrentAssetCheck;
  actor: string;
  isAdmin: boolean;
  reason?: string | undefined;
  /** Admin: delete even though live composites name the asset. */
  force: boolean;
  /** Admin: remove the asset, its files and album art now instead of after the retention. */
  purge: boolean;
}

export class AssetDeletion {
  constructor(private readonly deps: AssetDeletionDependencies) {}

  async delete(id: string, request: DeleteRequest): Promise<{ purgeAt?: string; purged: boolean }> {
    if ((request.force || request.purge) && !request.isAdmin) {
      throw new ForbiddenError(`${request.actor} may not ${request.purge ? 'purge' : 'force the deletion of'} assets (the admin role is needed)`);
    }
    const now = this.deps.clock();
    const live = await this.deps.queries.get(id);
    if (!live) {
      const deleted = request.purge ? await this.deps.deleted.getDeleted(id) : undefined;
      if (!deleted) throw new NotFoundError(`Asset ${id} does not exist`);
      await this.purge(deleted);
      return { purged: true };
    }
    const deleted = await this.deps.writes.softDelete(id, {
      check: request.check,
      deletedBy: request.actor,
      reason: request.reason,
      force: request.force,
      now,
      purgeAt: new Date(now.getTime() + this.deps.deletedRetentionDays * DAY_MS),
    });
    if (!request.purge) return { purgeAt: deleted.purgeAt, purged: false };
    await this.purge(deleted);
    return { purged: true };
  }

  /** `POST /api/assets/:id/restore`: the deleted asset comes back exactly as it was. */
  restore(id: string, actor: string): Promise<StoredAsset> {
    return this.deps.writes.restore(id, actor, this.deps.clock());
  }

  listDeleted(limit: number, cursor?: string): Promise<{ items: DeletedAsset[]; next?: string }> {
    return this.deps.deleted.listDeleted(limit, cursor);
  }

  /** The sweep: purges deleted assets whose retention has ended. Returns how many it purged. */
  async purgeExpired(limit: number): Promise<number> {
    const expired = await this.deps.deleted.expiredDeleted(this.deps.clock(), limit);
    for (const deleted of expired) await this.purge(deleted);
    return expired.length;
  }

  /**
   * Removes a deleted asset's files, then its album art unless another live or deleted asset uses
   * the same art, then the record. In that order, so a purge that fails half-way is simply rerun.
   */
  private async purge(deleted: DeletedAsset): Promise<void> {
    const { blobStore, albumArtFiles: files } = this.deps;
    const { id, document } = deleted.asset;
    const urls = new Set([...(document.files ?? []).map((file) => file.url), ...(document.gcpStorageUrl ? [document.gcpStorageUrl] : [])]);
    for (const url of urls) {
      const name = blobNameOfUrl(blobStore, url);
      if (name) await blobStore.delete(name);
    }
    if (files && document.albumArt) {
      const key = files.contentKeyOf(document.albumArt);
      if (key !== undefined && !(await this.deps.deleted.albumArtInUse(key, id))) await files.remove(document.albumArt);
    }
    await this.deps.deleted.removeDeleted(id);
  }
}
