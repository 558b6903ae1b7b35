/**
 * The manifest of one image's variant set (`album-art/variants/{sha256}/manifest.json`), written by
 * the variant generator after the last variant, and how an asset becomes `ready` from it. Whoever
 * finds a complete set applies it: the generator for every asset waiting at `stored`, the processor
 * for its own asset when the set already exists (a reused cover, or a storage event that came first).
 */
import { z } from 'zod';
import { imageObjectSchema, type AlbumArt } from '../domain/schemas/album-art.js';
import type { StatusChange, StatusNote } from './album-art-status.js';

const renderedSetSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  /** Per size (`150`, `500`, `original`) and format; each URL is public, metadata-free. */
  variants: z.record(z.string(), z.record(z.string(), imageObjectSchema)),
  placeholder: z.string(),
  dominantColor: z.string(),
  /** The image as displayed (orientation applied). */
  width: z.number().int().min(1),
  height: z.number().int().min(1),
});

/** The original passed validation but the generator cannot decode it: every asset using it fails. */
const failedSetSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  failure: z.object({ code: z.string(), message: z.string() }),
});

const variantSetSchema = z.union([renderedSetSchema, failedSetSchema]);
export type VariantSet = z.infer<typeof variantSetSchema>;
export type RenderedVariantSet = z.infer<typeof renderedSetSchema>;

/** High from 600 px on the shorter side, Medium from 300, else Low. */
function qualityOf(width: number, height: number): NonNullable<AlbumArt['quality']> {
  const side = Math.min(width, height);
  return side >= 600 ? 'High' : side >= 300 ? 'Medium' : 'Low';
}

/** Parses a stored manifest; undefined when absent or unreadable (the set is then not complete). */
export function parseVariantSet(bytes: Buffer | undefined): VariantSet | undefined {
  if (!bytes) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    // A manifest is written whole by one create-only write; an unreadable one is treated as absent.
    return undefined;
  }
  const parsed = variantSetSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** The change that finishes an asset's current job from a complete set: `ready`, or `failed`. */
export function completionOf(set: VariantSet, current: AlbumArt | undefined, at: string, note?: StatusNote): StatusChange {
  const jobId = current?.jobId ?? '';
  if ('failure' in set) {
    return { status: 'failed', jobId, at, fields: { error: { ...set.failure, attempts: current?.attempts ?? 1 } } };
  }
  const main = set.variants['500']?.['jpg'];
  return {
    status: 'ready',
    jobId,
    at,
    ...(note ? { note } : {}),
    fields: {
      variants: set.variants,
      ...(main ? { url: main.url, size: main.bytes } : {}),
      contentType: 'image/jpeg',
      quality: current?.quality ?? qualityOf(set.width, set.height),
      uploadedAt: set.createdAt,
      placeholder: set.placeholder,
      dominantColor: set.dominantColor,
    },
  };
}
