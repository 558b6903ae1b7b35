import type { StatusChange, TransitionOutcome } from '../album-art-status.js';
import type { AlbumArt } from '../../domain/schemas/album-art.js';

export type AlbumArtChangeOutcome = TransitionOutcome | { applied: false; reason: 'missing-asset' };

/** What `update` decided: its result, and the album art to write (nothing is written without it). */
export interface AlbumArtDecision<T> {
  result: T;
  write?: AlbumArt;
}

/**
 * The album art of assets. Every write is conditional on the document being unchanged since it was
 * read (re-read and decided again otherwise), so concurrent writers never lose each other's facts.
 */
export interface AlbumArtStore {
  /** The asset's album art (undefined when it has none); null when the asset does not exist. */
  current(assetId: string): Promise<AlbumArt | undefined | null>;
  /** Builds a change from the current album art and applies it with `transition`, atomically. */
  change(assetId: string, build: (current: AlbumArt | undefined) => StatusChange): Promise<AlbumArtChangeOutcome>;
  /** Decides from the current album art, atomically; null when the asset does not exist. */
  update<T>(assetId: string, decide: (current: AlbumArt | undefined) => AlbumArtDecision<T>): Promise<T | null>;
  /** Ids of assets whose album art is `stored` with this image, waiting for its variant set. */
  waitingFor(sha256: string): Promise<string[]>;
}
