/**
 * Album-art files in the album-art bucket, as the asset records them: the original's object name and
 * each variant's URL. This is today's per-asset layout; the content-addressed layout
 * (`album-art/originals/{sha256}`) replaces this adapter, not its callers.
 */
import type { AlbumArtFiles } from '../../domain/ports/album-art-files.js';
import { blobNameOfUrl, type BlobStore } from '../../domain/ports/blob-store.js';
import type { AlbumArt } from '../../domain/schemas/album-art.js';

export class BlobAlbumArtFiles implements AlbumArtFiles {
  constructor(private readonly store: BlobStore) {}

  contentKeyOf(albumArt: AlbumArt | undefined): string | undefined {
    const shared = (albumArt as Record<string, unknown> | undefined)?.['sha256'];
    return typeof shared === 'string' ? shared : albumArt?.original?.sha256;
  }

  async remove(albumArt: AlbumArt): Promise<void> {
    const names = new Set<string>();
    if (albumArt.original?.objectName) names.add(albumArt.original.objectName);
    for (const formats of Object.values(albumArt.variants ?? {})) {
      for (const image of Object.values(formats)) {
        const name = blobNameOfUrl(this.store, image.url);
        if (name) names.add(name);
      }
    }
    for (const name of names) await this.store.delete(name);
  }
}
