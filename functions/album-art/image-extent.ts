/**
 * Where an image's own bytes end. Anything after the end (an HTML page, a ZIP archive, a script) is
 * not part of the picture and is CUT before the original is hashed and stored, rather than refused:
 * - encoders and some hosts append padding or vendor data after the end, so refusing would fail
 *   ordinary covers for bytes nobody ever sees;
 * - the stored original is private and every public byte is re-written by the variant generator, so
 *   a polyglot cannot reach a client either way; cutting additionally keeps the payload out of the
 *   bucket and makes the content address that of the image (two polyglots of one cover share it).
 * The virus scan still reads the whole download, so a known payload after the image is refused.
 */
export interface ImageExtent {
  /** The image's bytes (the whole input when its end cannot be found: decoding then decides). */
  image: Buffer;
  /** How many bytes followed the image's end and were cut. */
  trailing: number;
}

function jpegEnd(bytes: Buffer): number | undefined {
  let position = 2;
  while (position + 1 < bytes.length) {
    if (bytes[position] !== 0xff) return undefined;
    let marker = bytes[position + 1]!;
    // Fill bytes: any number of 0xFF before a marker.
    while (marker === 0xff && position + 2 < bytes.length) marker = bytes[++position + 1]!;
    if (marker === 0xd9) return position + 2;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      position += 2;
      continue;
    }
    if (position + 3 >= bytes.length) return undefined;
    const length = bytes.readUInt16BE(position + 2);
    position += 2 + length;
    if (marker !== 0xda) continue;
    // Entropy-coded data after a start of scan: it ends at the first 0xFF that is neither a stuffed
    // zero nor a restart marker.
    while (position + 1 < bytes.length) {
      if (bytes[position] === 0xff) {
        const next = bytes[position + 1]!;
        if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff) break;
      }
      position++;
    }
  }
  return undefined;
}

function pngEnd(bytes: Buffer): number | undefined {
  let position = 8;
  while (position + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(position);
    const type = bytes.toString('latin1', position + 4, position + 8);
    position += 12 + length;
    if (type === 'IEND') return position <= bytes.length ? position : undefined;
  }
  return undefined;
}

function webpEnd(bytes: Buffer): number | undefined {
  if (bytes.length < 12) return undefined;
  const size = bytes.readUInt32LE(4);
  const end = 8 + size + (size % 2);
  return end <= bytes.length ? end : undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image's bytes without whatever followed its end. */
export function imageExtent(bytes: Buffer): ImageExtent {
  let end: number | undefined;
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) end = jpegEnd(bytes);
  else if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) end = pngEnd(bytes);
  else if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') end = webpEnd(bytes);
  if (end === undefined || end >= bytes.length) return { image: bytes, trailing: 0 };
  return { image: bytes.subarray(0, end), trailing: bytes.length - end };
}
