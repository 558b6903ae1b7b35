/**
 * The stored files of one image's album art, for the purge of a deleted asset: the private original
 * at `album-art/originals/{sha256}` and the variant set under `album-art/variants/{sha256}/`. The
 * purge calls `remove` only once no live or restorable asset has the same `albumArt.sha256`.
 */
import type { AlbumArtFiles } from '../domain/ports/album-art-files.js';
import { blobNameOfUrl, type BlobStore } from '../domain/ports/blob-store.js';
import type { AlbumArt } from '../domain/schemas/album-art.js';
import { originalName, variantManifestName } from './object-names.js';
import { parseVariantSet } from './variant-set.js';

export class ContentAddressedAlbumArtFiles implements AlbumArtFiles {
  constructor(private readonly store: BlobStore) {}

  contentKeyOf(albumArt: AlbumArt | undefined): string | undefined {
    return albumArt?.sha256 ?? albumArt?.original?.sha256;
  }

  async remove(albumArt: AlbumArt): Promise<void> {
    const sha256 = this.contentKeyOf(albumArt);
    const names = new Set<string>();
    if (sha256) {
      // The manifest goes first: without it the set no longer counts as complete, so no new request
      // reuses variants that are about to disappear; a purge that dies midway is simply run again.
      const manifest = variantManifestName(sha256);
      const set = parseVariantSet(await this.store.read(manifest));
      await this.store.delete(manifest);
      if (set && 'variants' in set) this.addVariantNames(names, set.variants);
      names.add(originalName(sha256));
    }
    // Art stored before content addressing kept per-asset names, recorded on the asset itself.
    if (albumArt.original?.objectName) names.add(albumArt.original.objectName);
    this.addVariantNames(names, albumArt.variants ?? {});
    for (const name of names) await this.store.delete(name);
  }

  private addVariantNames(names: Set<string>, variants: Record<string, Record<string, { url: string }>>): void {
    for (const formats of Object.values(variants)) {
      for (const image of Object.values(formats)) {
        const name = blobNameOfUrl(this.store, image.url);
        if (name) names.add(name);
      }
    }
  }
}
