/**
 * The asset use cases, one module each by lifecycle, wired here from what they share: each takes
 * only the ports it uses. The HTTP routes, the start-up sweep and the unit tests build them here.
 */
import type { AlbumArtRequests } from '../album-art/index.js';
import type { AlbumArtFiles } from '../domain/ports/album-art-files.js';
import type { AssetStore } from '../domain/ports/asset-store.js';
import type { BlobStore } from '../domain/ports/blob-store.js';
import type { FeatureFlags } from '../domain/ports/feature-flags.js';
import type { HistoryReader } from '../domain/ports/history-reader.js';
import type { Metrics } from '../domain/ports/metrics.js';
import type { Taxonomy } from '../domain/taxonomy/taxonomy.js';
import { AssetDeletion } from './asset-deletion.js';
import { AssetHistory } from './asset-history.js';
import { AssetLookup } from './asset-lookup.js';
import { CreateAsset } from './create-asset.js';
import { ListAssets } from './list-assets.js';
import { UpdateAsset } from './update-asset.js';
import { UploadFile } from './upload-file.js';
import { systemClock, type Clock } from './write-rules.js';

export interface AssetUseCaseDependencies extends AssetStore {
  blobStore: BlobStore;
  flags: FeatureFlags;
  taxonomy: Taxonomy;
  history: HistoryReader;
  /** Album-art jobs for Songs assets with a source URL; without it no job is ever made. */
  albumArt?: AlbumArtRequests;
  /** Album-art files to remove when a deleted asset is purged; without it album art is left alone. */
  albumArtFiles?: AlbumArtFiles;
  /** How long a deleted asset can be restored. */
  deletedRetentionDays: number;
  /** Receives `sequence_fill`, the number each create or move drew in its path; without it nothing is recorded. */
  metrics?: Metrics;
  clock?: Clock;
}

export interface AssetUseCases {
  /** One asset by id, HFN or MFA. */
  lookup: AssetLookup;
  /** Listings and word search. */
  listing: ListAssets;
  creation: CreateAsset;
  uploads: UploadFile;
  /** Updates and album-art requests. */
  updates: UpdateAsset;
  /** Soft delete, restore, the deleted assets' list, purge and the sweep. */
  deletion: AssetDeletion;
  /** The history, and revert. */
  history: AssetHistory;
}

export function assetUseCases(deps: AssetUseCaseDependencies): AssetUseCases {
  const { writes, queries, deleted, blobStore, flags, taxonomy, albumArt, albumArtFiles, metrics } = deps;
  const clock = deps.clock ?? systemClock;
  const lookup = new AssetLookup(queries, taxonomy);
  const updates = new UpdateAsset({ writes, flags, taxonomy, albumArt, clock, metrics });
  return {
    lookup,
    listing: new ListAssets({ queries, taxonomy }),
    creation: new CreateAsset({ writes, queries, deleted, blobStore, flags, taxonomy, albumArt, clock, metrics }),
    uploads: new UploadFile({ blobStore, clock }),
    updates,
    deletion: new AssetDeletion({ writes, queries, deleted, blobStore, albumArtFiles, deletedRetentionDays: deps.deletedRetentionDays, clock }),
    history: new AssetHistory({ history: deps.history, lookup, updates }),
  };
}
