/**
 * Files for upload tests, made at run time: the smallest byte sequences file-type recognises as each
 * format the registry takes, and the hostile ones (markup, scripts, polyglots) it must refuse.
 */
import sharp from 'sharp';

function u32be(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

function u32le(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}

/** An ISO base media file (MP4, QuickTime) is recognised by its `ftyp` box and brand. */
function isoMedia(brand: string): Buffer {
  return Buffer.concat([u32be(24), Buffer.from(`ftyp${brand}`, 'latin1'), u32be(0x200), Buffer.from(`${brand}mp41`, 'latin1'), Buffer.alloc(64)]);
}

export const MP4 = isoMedia('isom');
export const QUICKTIME = isoMedia('qt  ');
/** Two MPEG-1 Layer III frame headers 417 bytes apart (128 kbit/s, 44.1 kHz), behind an empty ID3 tag. */
export const MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0, 0]), Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413)]);
export const WAV = Buffer.concat([
  Buffer.from('RIFF'),
  u32le(36),
  Buffer.from('WAVEfmt '),
  u32le(16),
  Buffer.from([1, 0, 1, 0]),
  u32le(8000),
  u32le(8000),
  Buffer.from([1, 0, 8, 0]),
  Buffer.from('data'),
  u32le(0),
]);
export const GLB = Buffer.concat([Buffer.from('glTF'), u32le(2), u32le(12)]);
export const JSON_TEXT = Buffer.from('{"frames":[{"t":0,"pose":"idle"}]}\n');

export async function pngImage(width = 16, height = 16): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3a7bd5' } })
    .png()
    .toBuffer();
}

export async function jpegImage(width = 16, height = 16): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#d53a7b' } })
    .jpeg()
    .toBuffer();
}

export async function gifImage(): Promise<Buffer> {
  return sharp({ create: { width: 8, height: 8, channels: 3, background: '#7bd53a' } })
    .gif()
    .toBuffer();
}

export const HTML_PAGE = Buffer.from('<!doctype html><html><body><script>document.title = "stored XSS"</script></body></html>');
export const SVG_IMAGE = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"><script>alert(1)</script></svg>');
export const XML_SVG = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
export const SCRIPT = Buffer.from('fetch("/api/admin/flags", { credentials: "include" }).then((r) => r.text()).then(alert);\n');
export const PLAIN_TEXT = Buffer.from('just some text, not an image\n');

/** A real PNG with a page after its end: browsers show it as an image only when told it is one. */
export async function pngThenHtml(): Promise<Buffer> {
  return Buffer.concat([await pngImage(), HTML_PAGE]);
}

/** A page first and a PNG after it: markup, whatever follows. */
export async function htmlThenPng(): Promise<Buffer> {
  return Buffer.concat([HTML_PAGE, await pngImage()]);
}
