/**
 * Removes metadata from a JPEG without decoding it: the compressed image data is copied as is, so
 * the original-size JPEG costs no decode, no encode and no generation loss. EXIF (with its GPS and
 * thumbnail), XMP, IPTC, ICC, comments and anything after the image's end (multi-picture or gain-map
 * appendices) are dropped; the JFIF header and Adobe's colour-transform marker are kept because
 * decoders need them to read the colours right. Returns undefined for anything it does not fully
 * understand, and the caller then re-encodes.
 */
const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const COM = 0xfe;
const APP0 = 0xe0;
const APP14_ADOBE = 0xee;

function isStandaloneMarker(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

function isFrameMarker(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function isJfif(segment: Buffer): boolean {
  return segment.length >= 9 && segment.toString('latin1', 4, 9) === 'JFIF\0';
}

/** Where the entropy-coded data after a scan header ends: the next marker that is not a restart. */
function scanEnd(jpeg: Buffer, from: number): number {
  let position = jpeg.indexOf(0xff, from);
  while (position >= 0 && position + 1 < jpeg.length) {
    const next = jpeg[position + 1]!;
    if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7)) return position;
    position = jpeg.indexOf(0xff, position + 2);
  }
  return -1;
}

export function stripJpegMetadata(jpeg: Buffer): Buffer | undefined {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== SOI) return undefined;
  const parts: Buffer[] = [jpeg.subarray(0, 2)];
  let offset = 2;
  let sawFrame = false;
  while (offset + 1 < jpeg.length) {
    if (jpeg[offset] !== 0xff) return undefined;
    const marker = jpeg[offset + 1]!;
    if (marker === 0xff) {
      offset++; // fill byte before a marker
      continue;
    }
    if (marker === EOI) {
      parts.push(jpeg.subarray(offset, offset + 2));
      return sawFrame ? Buffer.concat(parts) : undefined;
    }
    if (isStandaloneMarker(marker) || marker === SOI || offset + 4 > jpeg.length) return undefined;
    const end = offset + 2 + jpeg.readUInt16BE(offset + 2);
    if (end > jpeg.length || end < offset + 4) return undefined;
    const segment = jpeg.subarray(offset, end);
    if (isFrameMarker(marker)) {
      // Baseline, extended and progressive Huffman only: what every old client decodes.
      if (marker > 0xc2) return undefined;
      sawFrame = true;
    }
    const isApp = marker >= APP0 && marker <= 0xef;
    const keep = isApp ? (marker === APP0 && isJfif(segment)) || marker === APP14_ADOBE : marker !== COM;
    if (keep) parts.push(segment);
    offset = end;
    if (marker === SOS) {
      const dataEnd = scanEnd(jpeg, offset);
      if (dataEnd < 0) return undefined;
      parts.push(jpeg.subarray(offset, dataEnd));
      offset = dataEnd;
    }
  }
  return undefined;
}
