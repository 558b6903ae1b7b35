import type { StatusChange, TransitionOutcome } from '../album-art-status.js';
import type { AlbumArt } from '../schemas/album-art.js';

export type AlbumArtChangeOutcome = TransitionOutcome | { applied: false; reason: 'missing-asset' };

/** The album art of assets, changed only through the status machine, one transaction per change. */
export interface AlbumArtStore {
  /** The asset's album art (undefined when it has none); null when the asset does not exist. */
  current(assetId: string): Promise<AlbumArt | undefined | null>;
  /** Builds a change from the current album art and applies it with `transition`, atomically. */
  change(assetId: string, build: (current: AlbumArt | undefined) => StatusChange): Promise<AlbumArtChangeOutcome>;
}
