/**
 * Where album art lives in its bucket. Both halves are content-addressed by the sha256 of the image
 * bytes, across the whole registry: one cover used by many songs is stored, scanned and rendered once.
 * - `album-art/originals/{sha256}`: the private original. Only the functions read it; the CDN's
 *   reader is limited to `album-art/variants/` (infra/cdn.tf), so no public URL reaches it.
 * - `album-art/variants/{sha256}/...`: the public, metadata-free variants and the manifest that says
 *   the set is complete (written last).
 */
const ORIGINALS_PREFIX = 'album-art/originals/';
export const VARIANTS_PREFIX = 'album-art/variants/';

const ORIGINAL_NAME = /^album-art\/originals\/([0-9a-f]{64})$/;

export function originalName(sha256: string): string {
  return `${ORIGINALS_PREFIX}${sha256}`;
}

/** The sha256 an original's name holds, or undefined when the name is not an original's. */
export function sha256OfOriginal(name: string): string | undefined {
  return ORIGINAL_NAME.exec(name)?.[1];
}

/** `album-art/variants/{sha256}`: the folder of one image's variants. */
export function variantFolder(sha256: string): string {
  return `${VARIANTS_PREFIX}${sha256}`;
}

/** The variant set's manifest: present only once every variant of the set is written. */
export function variantManifestName(sha256: string): string {
  return `${variantFolder(sha256)}/manifest.json`;
}
