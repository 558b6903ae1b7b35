/**
 * The image work of the variant generator: one shrink-on-load decode straight to the 500 px square,
 * whose pixels feed the 150 px square (a small original is decoded whole once and both squares are
 * resized from it side by side); the placeholder and the dominant colour come from the 150 px
 * pixels; the original-size JPEG by stripping metadata losslessly when the original allows it,
 * otherwise streamed from its own decode, or from one full decode shared by every original-size
 * format. All of it starts at once and runs concurrently on libuv's thread pool, so both cores work.
 */
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';
import type { VariantCrop } from '../platform/config-environment.js';
import { stripJpegMetadata } from './jpeg-metadata-strip.js';
import { CONTENT_TYPES, type VariantFormat, type VariantSize } from './variant-names.js';

/** Larger originals are refused before decoding (about 50 megapixels, 150 MB of pixels). */
const MAX_INPUT_PIXELS = 7100 * 7100;
const WHITE = { r: 255, g: 255, b: 255 };
const JPEG_SMALL = { quality: 82, mozjpeg: true } as const;
const JPEG_FULL = { quality: 86, optimiseCoding: true } as const;
const WEBP = { quality: 80 } as const;
const AVIF = { quality: 55, effort: 3 } as const;
/** Below this shorter side a JPEG decodes whole for the 500 px square (no shrink-on-load by 2 or more). */
const SMALL_ORIGINAL_SIDE = 1000;
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

export interface Pixels {
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

/**
 * libvips' dominant colour (sharp's `stats().dominant`) of sRGB pixels without computing the rest of
 * stats() (entropy, a Laplacian for sharpness, per-channel statistics: most of its cost): the
 * fullest bin of the same 16x16x16 histogram, as that bin's centre. When two bins tie, which one
 * libvips picks is its own business, so stats() decides; otherwise the answer is the same by
 * construction (test/variants/render-variants.unit.test.ts compares them).
 */
async function dominantOf(rgb: Pixels): Promise<{ r: number; g: number; b: number }> {
  const counts = new Uint32Array(4096);
  const { data, channels } = rgb;
  for (let index = 0; index < data.length; index += channels) counts[((data[index]! >> 4) << 8) | ((data[index + 1]! >> 4) << 4) | (data[index + 2]! >> 4)]!++;
  let best = 0;
  let ties = 0;
  for (let bin = 1; bin < counts.length; bin++) {
    if (counts[bin]! > counts[best]!) [best, ties] = [bin, 0];
    else if (counts[bin] === counts[best]) ties++;
  }
  if (ties > 0) return (await fromPixels(rgb).stats()).dominant;
  return { r: (best >> 8) * 16 + 8, g: ((best >> 4) & 15) * 16 + 8, b: (best & 15) * 16 + 8 };
}

/** Of the picture as old clients show it: transparent parts count as the white the JPEGs put there. */
export async function dominantColorOf(pixels: Pixels): Promise<string> {
  const opaque = pixels.channels === 4 ? await toPixels(fromPixels(pixels).flatten({ background: WHITE })) : pixels;
  const dominant = await dominantOf(opaque);
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
  const fullFormats: VariantFormat[] = [
    ...(stripped ? [] : (['jpg'] as const)),
    ...(options.originalWebp ? (['webp'] as const) : []),
    ...(options.originalAvif ? (['avif'] as const) : []),
  ];
  const square = (side: number) => sharp(input, INPUT).resize(side, side, { fit: 'cover', position: POSITIONS[options.crop], fastShrinkOnLoad: true });
  const squares = (pixels: Pixels, size: VariantSize) =>
    Promise.all((['jpg', 'webp'] as const).map((format) => encode(fromPixels(pixels), hasAlpha, size, format, pixels.width, pixels.height)));

  // Everything starts at once, longest first, and runs on libuv's pool. A single original-size
  // encode streams from the decoder (no full-size pixel buffer); several share one full decode.
  const originals: Promise<RenderedVariant[]> =
    fullFormats.length === 1
      ? decoding(() => encode(sharp(input, INPUT).toColourspace('srgb'), hasAlpha, 'original', fullFormats[0]!, width, height)).then((variant) => [variant])
      : fullFormats.length > 1
        ? decoding(() => toPixels(sharp(input, INPUT))).then((pixels) =>
            Promise.all(fullFormats.map((format) => encode(fromPixels(pixels), hasAlpha, 'original', format, width, height))),
          )
        : Promise.resolve([]);
  // A small original decodes whole for the 500 px square anyway (shrink-on-load cannot help): it is
  // decoded once, and both squares are resized from those pixels side by side, so no core waits for
  // the other square. A large original shrinks on load straight to 500 px, whose pixels are then the
  // cheaper source of the 150 px square.
  let pixels500: Promise<Pixels>;
  let pixels150: Promise<Pixels>;
  if (Math.min(width, height) < SMALL_ORIGINAL_SIDE) {
    const whole = decoding(() => toPixels(sharp(input, INPUT)));
    const crop = (side: number) => whole.then((pixels) => toPixels(fromPixels(pixels).resize(side, side, { fit: 'cover', position: POSITIONS[options.crop] })));
    [pixels500, pixels150] = [crop(side500), crop(side150)];
  } else {
    pixels500 = decoding(() => toPixels(square(side500)));
    pixels150 = pixels500.then((pixels) => toPixels(fromPixels(pixels).resize(side150, side150)));
  }
  const [full, large, small, placeholder, dominantColor] = await Promise.all([
    originals,
    pixels500.then((pixels) => squares(pixels, '500')),
    pixels150.then((pixels) => squares(pixels, '150')),
    pixels150.then(placeholderOf),
    // The dominant colour of the 150 px square: the same picture, a ninth of the 500 px pixels to histogram.
    pixels150.then(dominantColorOf),
  ]);
  const variants = [...large, ...small, ...full];
  if (stripped) variants.push({ size: 'original', format: 'jpg', contentType: CONTENT_TYPES.jpg, data: stripped, width, height });
  return { variants, original: { width, height, format: metadata.format }, placeholder, dominantColor };
}
