/**
 * The bytes decide what an image is, never the declared content type: file-type must find JPEG,
 * PNG or WebP; sharp then reads the header and refuses more pixels than the limit before anything
 * is decoded (decompression bombs), and a full decode refuses corrupt or truncated files.
 */
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { AlbumArtJobError } from './job-errors.js';

const ACCEPTED: Record<string, { extension: string; contentType: string }> = {
  'image/jpeg': { extension: 'jpg', contentType: 'image/jpeg' },
  'image/png': { extension: 'png', contentType: 'image/png' },
  'image/webp': { extension: 'webp', contentType: 'image/webp' },
};

export interface ValidatedImage {
  extension: string;
  contentType: string;
  width: number;
  height: number;
}

export async function validateImage(bytes: Buffer, maxPixels: number): Promise<ValidatedImage> {
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected) throw new AlbumArtJobError('NOT_AN_IMAGE', 'The source is not an image (its bytes match no image format)');
  const accepted = ACCEPTED[detected.mime];
  if (!accepted) throw new AlbumArtJobError('UNSUPPORTED_FORMAT', `The source is ${detected.mime}; album art must be JPEG, PNG or WebP`);
  let width: number;
  let height: number;
  try {
    // Header only: nothing is decoded yet.
    const metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
    width = metadata.width ?? 0;
    height = metadata.height ?? 0;
  } catch (error) {
    throw new AlbumArtJobError('CORRUPT_IMAGE', `The image header cannot be read: ${(error as Error).message}`);
  }
  if (width === 0 || height === 0) throw new AlbumArtJobError('CORRUPT_IMAGE', 'The image has no dimensions');
  if (width * height > maxPixels) {
    throw new AlbumArtJobError('TOO_MANY_PIXELS', `The image is ${width}x${height} (${width * height} pixels); the limit is ${maxPixels}`);
  }
  try {
    // A full decode with warnings treated as errors: truncated and corrupt data fail here.
    await sharp(bytes, { failOn: 'warning', limitInputPixels: maxPixels }).stats();
  } catch (error) {
    throw new AlbumArtJobError('CORRUPT_IMAGE', `The image cannot be decoded: ${(error as Error).message}`);
  }
  return { ...accepted, width, height };
}
