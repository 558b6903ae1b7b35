/**
 * Object names of album art. The generator acts on originals only, recognised by name AND by the
 * absence of its own marker, so that none of its outputs (nor a copy of one) can trigger it again.
 */
export const ORIGINAL_NAME = /^album-art\/([A-Za-z0-9_-]{1,128})\/([0-9a-f]{64})\/original\.(jpg|png|webp)$/;

/** Custom metadata every output carries: the second half of the loop guard. */
export const GENERATOR_MARKER = { key: 'generatedBy', value: 'nna-variants' } as const;

export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

export type VariantSize = '150' | '500' | 'original';
export type VariantFormat = 'jpg' | 'webp' | 'avif';

export const CONTENT_TYPES: Record<VariantFormat, string> = { jpg: 'image/jpeg', webp: 'image/webp', avif: 'image/avif' };

export interface OriginalRef {
  assetId: string;
  sha256: string;
  /** `album-art/{assetId}/{sha256}`: the folder of the original and its variants. */
  folder: string;
}

export function parseOriginalName(name: string): OriginalRef | undefined {
  const match = ORIGINAL_NAME.exec(name);
  if (!match) return undefined;
  return { assetId: match[1]!, sha256: match[2]!, folder: `album-art/${match[1]}/${match[2]}` };
}

export function isGeneratorOutput(metadata: Record<string, string> | undefined): boolean {
  return metadata?.[GENERATOR_MARKER.key] === GENERATOR_MARKER.value;
}

/**
 * `150.jpg`, `500.webp`, ... The original-size outputs are `original-size.*`, not `original.*`: the
 * stored original already holds `original.jpg` (or `.webp`), and a create-only write there would
 * leave its EXIF (GPS included) in place of the stripped copy.
 */
export function variantName(folder: string, size: VariantSize, format: VariantFormat): string {
  return `${folder}/${size === 'original' ? 'original-size' : size}.${format}`;
}
