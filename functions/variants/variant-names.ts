/**
 * Object names of variants: `album-art/variants/{sha256}/{150|500|original-size}.{jpg|webp|avif}`,
 * content-addressed like the originals they come from (functions/album-art/object-names.ts), so one
 * image has one variant set whatever number of songs use it. The generator acts on originals only,
 * recognised by name AND by the absence of its own marker, so none of its outputs can trigger it.
 */
import { variantFolder } from '../album-art/index.js';

/** Custom metadata every output carries: the second half of the loop guard. */
export const GENERATOR_MARKER = { key: 'generatedBy', value: 'nna-variants' } as const;

export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

export type VariantSize = '150' | '500' | 'original';
export type VariantFormat = 'jpg' | 'webp' | 'avif';

export const CONTENT_TYPES: Record<VariantFormat, string> = { jpg: 'image/jpeg', webp: 'image/webp', avif: 'image/avif' };

export function isGeneratorOutput(metadata: Record<string, string> | undefined): boolean {
  return metadata?.[GENERATOR_MARKER.key] === GENERATOR_MARKER.value;
}

/** `.../150.jpg`, `.../500.webp`, ...; the original-size outputs are `original-size.*`. */
export function variantName(sha256: string, size: VariantSize, format: VariantFormat): string {
  return `${variantFolder(sha256)}/${size === 'original' ? 'original-size' : size}.${format}`;
}
