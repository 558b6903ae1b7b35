import type { AlbumArt } from '../schemas/album-art.js';

/**
 * The stored files of an asset's album art, as the purge of a deleted asset sees them. Behind a port
 * because the layout is the album-art capability's: originals and variants are stored once per
 * distinct image, named by its sha256 and shared by every asset using it, so the purge asks only
 * "what is this art's content key" and "remove it", whatever the layout.
 */
export interface AlbumArtFiles {
  /** The key art is shared by between assets (`albumArt.sha256`); undefined when nothing is stored. */
  contentKeyOf(albumArt: AlbumArt | undefined): string | undefined;
  /** Removes the original and every variant of that art; called only when no other asset uses the key. */
  remove(albumArt: AlbumArt): Promise<void>;
}
