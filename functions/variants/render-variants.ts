/**
 * The image work of the variant generator, in one pass over the original: one shrink-on-load
 * decode straight to the 500 px square, whose pixels feed the 150 px square, the placeholder and the
 * dominant colour; the original-size JPEG by stripping metadata losslessly when the original allows
 * it, otherwise from a single full decode shared by every original-size format. The encodes run
 * concurrently on libuv's thread pool, so both cores work.
 */
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';
import type { VariantCrop } from '../platform/config.js';
import { stripJpegMetadata } from './jpeg-metadata-strip.js';
import { CONTENT_TYPES, type VariantFormat, type VariantSize } from './variant-names.js';

/** Larger originals are refused before decoding (about 50 megapixels, 150 MB of pixels). */
export const MAX_INPUT_PIXELS = 7100 * 7100;
const WHITE = { r: 255, g: 255, b: 255 };
const JPEG_SMALL = { quality: 82, mozjpeg: true } as const;
const JPEG_FULL = { quality: 86, optimiseCoding: true } as const;
const WEBP = { quality: 80 } as const;
const AVIF = { quality: 55, effort: 3 } as const;
/** ThumbHash takes at most 100x100 pixels. */
const PLACEHOLDER_SIDE = 100;

/** The original's pixels cannot be decoded: retrying will not help. */
export class UndecodableImageError extends Error {
  readonly code = 'UNDECODABLE_IMAGE';
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'UndecodableImageError';
  }
}

export interface RenderOptions {
  crop: VariantCrop;
  originalWebp: boolean;
  originalAvif: boolean;
}

export interface RenderedVariant {
  size: VariantSize;
  format: VariantFormat;
  contentType: string;
  data: Buffer;
  width: number;
  height: number;
}

export interface RenderedSet {
  variants: RenderedVariant[];
  /** The original as displayed: orientation applied. */
  original: { width: number; height: number; format: string };
  placeholder: string;
  dominantColor: string;
}

const INPUT: SharpOptions = { failOn: 'error', pages: 1, autoOrient: true, limitInputPixels: MAX_INPUT_PIXELS };

const POSITIONS: Record<VariantCrop, string> = { 'cover-centre': 'centre', 'cover-attention': 'attention', 'cover-entropy': 'entropy' };

interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

function fromPixels(pixels: Pixels): Sharp {
  return sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } });
}

async function toPixels(image: Sharp): Promise<Pixels> {
  const { data, info } = await image.toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Decoding errors of the original are permanent; anything else (memory, threads) is not ours to judge. */
async function decoding<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new UndecodableImageError(`The original cannot be decoded: ${(error as Error).message}`, { cause: error });
  }
}

async function encode(image: Sharp, hasAlpha: boolean, size: VariantSize, format: VariantFormat, width: number, height: number): Promise<RenderedVariant> {
  let encoder: Sharp;
  if (format === 'jpg') encoder = (hasAlpha ? image.flatten({ background: WHITE }) : image).jpeg(size === 'original' ? JPEG_FULL : JPEG_SMALL);
  else if (format === 'webp') encoder = image.webp(WEBP);
  else encoder = image.avif(AVIF);
  return { size, format, contentType: CONTENT_TYPES[format], data: await encoder.toBuffer(), width, height };
}

async function placeholderOf(pixels150: Pixels): Promise<string> {
  const side = Math.min(PLACEHOLDER_SIDE, pixels150.width);
  const thumb = await fromPixels(pixels150).resize(side, side).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return Buffer.from(rgbaToThumbHash(thumb.info.width, thumb.info.height, thumb.data)).toString('base64');
}

/** Of the picture as old clients show it: transparent parts count as the white the JPEGs put there. */
async function dominantColorOf(pixels: Pixels): Promise<string> {
  // stats() reads its input, not the pipeline's result, so the flattening needs pixels of its own.
  const opaque = pixels.channels === 4 ? await toPixels(fromPixels(pixels).flatten({ background: WHITE })) : pixels;
  const { dominant } = await fromPixels(opaque).stats();
  return `#${[dominant.r, dominant.g, dominant.b].map((value) => value.toString(16).padStart(2, '0')).join('')}`;
}

/** Whether the original JPEG is already what the original-size JPEG must be, but for metadata. */
function strippable(metadata: Metadata): boolean {
  return metadata.format === 'jpeg' && (metadata.orientation ?? 1) === 1 && metadata.space === 'srgb' && metadata.channels === 3 && !metadata.icc;
}

export async function renderVariants(input: Buffer, options: RenderOptions): Promise<RenderedSet> {
  const metadata = await decoding(() => sharp(input, INPUT).metadata());
  const { width, height } = metadata.autoOrient;
  const hasAlpha = metadata.hasAlpha;
  const side500 = Math.min(500, width, height);
  const side150 = Math.min(150, side500);
  const stripped = strippable(metadata) ? stripJpegMetadata(input) : undefined;
  const fullFormats: VariantFormat[] = [...(stripped ? [] : (['jpg'] as const)), ...(options.originalWebp ? (['webp'] as const) : []), ...(options.originalAvif ? (['avif'] as const) : [])];
  // A single original-size encode streams from the decoder (no full-size pixel buffer); several
  // share one full decode. Either way it runs beside the shrink-on-load decode.
  const sharedFull = fullFormats.length > 1;
  const [pixels500, fullPixels] = await Promise.all([
    decoding(() => toPixels(sharp(input, INPUT).resize(side500, side500, { fit: 'cover', position: POSITIONS[options.crop], fastShrinkOnLoad: true }))),
    sharedFull ? decoding(() => toPixels(sharp(input, INPUT))) : undefined,
  ]);
  const pixels150 = await toPixels(fromPixels(pixels500).resize(side150, side150));

  const work: Array<Promise<RenderedVariant>> = [
    encode(fromPixels(pixels500), hasAlpha, '500', 'jpg', side500, side500),
    encode(fromPixels(pixels500), hasAlpha, '500', 'webp', side500, side500),
    encode(fromPixels(pixels150), hasAlpha, '150', 'jpg', side150, side150),
    encode(fromPixels(pixels150), hasAlpha, '150', 'webp', side150, side150),
    ...fullFormats.map((format) =>
      fullPixels
        ? encode(fromPixels(fullPixels), hasAlpha, 'original', format, width, height)
        : decoding(() => encode(sharp(input, INPUT).toColourspace('srgb'), hasAlpha, 'original', format, width, height)),
    ),
  ];
  const [variants, placeholder, dominantColor] = await Promise.all([Promise.all(work), placeholderOf(pixels150), dominantColorOf(pixels500)]);
  if (stripped) variants.push({ size: 'original', format: 'jpg', contentType: CONTENT_TYPES.jpg, data: stripped, width, height });
  return { variants, original: { width, height, format: metadata.format }, placeholder, dominantColor };
}
