/**
 * fast-check generators of uploads an attacker or a careless client sends: empty files, markup and
 * scripts under any declared type, real files declared as another format, polyglots (an image with a
 * page after it, a page with an image after it) and random bytes, beside genuine files.
 */
import fc from 'fast-check';
import { LAYER_MEDIA_TYPES } from '../../functions/domain/upload-policy.js';
import { gifImage, GLB, HTML_PAGE, jpegImage, JSON_TEXT, MP3, MP4, pngImage, QUICKTIME, SCRIPT, SVG_IMAGE, WAV, XML_SVG } from '../support/sample-uploads.js';

export type UploadKind = 'empty' | 'markup' | 'mislabelled' | 'image-then-markup' | 'markup-then-image' | 'random' | 'genuine';

export interface UploadCase {
  kind: UploadKind;
  /** The part's Content-Type, as the client declares it. */
  declared: string;
  filename: string;
  bytes: Buffer;
  /** The layer of a create, or undefined for `POST /api/assets/upload`. */
  layer: string | undefined;
}

/** Kinds that must never be stored, whatever else is true of the request. */
export const ALWAYS_REFUSED: readonly UploadKind[] = ['empty', 'markup', 'mislabelled', 'markup-then-image'];

interface Genuine {
  type: string;
  extension: string;
  bytes: Buffer;
}

/** The genuine files, one per format the registry takes (made once: sharp encodes the images). */
export async function genuineFiles(): Promise<Genuine[]> {
  return [
    { type: 'image/png', extension: 'png', bytes: await pngImage() },
    { type: 'image/jpeg', extension: 'jpg', bytes: await jpegImage() },
    { type: 'image/gif', extension: 'gif', bytes: await gifImage() },
    { type: 'audio/mpeg', extension: 'mp3', bytes: MP3 },
    { type: 'audio/wav', extension: 'wav', bytes: WAV },
    { type: 'video/mp4', extension: 'mp4', bytes: MP4 },
    { type: 'video/quicktime', extension: 'mov', bytes: QUICKTIME },
    { type: 'model/gltf-binary', extension: 'glb', bytes: GLB },
    { type: 'application/json', extension: 'json', bytes: JSON_TEXT },
  ];
}

const ACTIVE_DECLARATIONS = ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/javascript', 'text/javascript'];
const VAGUE_DECLARATIONS = ['application/octet-stream', 'text/plain'];
const MARKUP = [HTML_PAGE, SVG_IMAGE, XML_SVG, Buffer.from(`<script>${SCRIPT.toString()}</script>`)];

/** White space and a byte order mark that a sniffer must look past. */
const leading = fc.constantFrom('', ' ', '\n\t ', '\uFEFF', '\uFEFF\r\n').map((text) => Buffer.from(text));
const layer = fc.option(fc.constantFrom(...Object.keys(LAYER_MEDIA_TYPES)), { nil: undefined, freq: 3 });
const filename = fc.constantFrom('file.png', 'file.html', 'file.svg', 'track.mp3', 'clip.mp4', 'data.json', 'noext', 'a..b', 'évil name.JPG');

export function hostileUpload(files: readonly Genuine[]): fc.Arbitrary<UploadCase> {
  const genuine = fc.constantFrom(...files);
  const anyType = fc.oneof(
    fc.constantFrom(...files.map((file) => file.type), ...ACTIVE_DECLARATIONS, ...VAGUE_DECLARATIONS),
    fc.stringMatching(/^[a-z]{1,8}\/[a-z0-9.+-]{1,12}$/),
  );
  const otherThan = (type: string) => fc.constantFrom(...files.map((file) => file.type).filter((candidate) => candidate !== type), ...ACTIVE_DECLARATIONS);
  const markup = fc.tuple(leading, fc.constantFrom(...MARKUP)).map(([prefix, body]) => Buffer.concat([prefix, body]));
  const images = files.filter((file) => file.type.startsWith('image/'));
  const kinds: fc.Arbitrary<Omit<UploadCase, 'layer' | 'filename'>> = fc.oneof(
    anyType.map((declared) => ({ kind: 'empty' as const, declared, bytes: Buffer.alloc(0) })),
    fc.tuple(anyType, markup).map(([declared, bytes]) => ({ kind: 'markup' as const, declared, bytes })),
    genuine.chain((file) => otherThan(file.type).map((declared) => ({ kind: 'mislabelled' as const, declared, bytes: file.bytes }))),
    fc
      .tuple(fc.constantFrom(...images), fc.constantFrom(...MARKUP))
      .map(([image, page]) => ({ kind: 'image-then-markup' as const, declared: image.type, bytes: Buffer.concat([image.bytes, page]) })),
    fc
      .tuple(fc.constantFrom(...images), markup)
      .map(([image, page]) => ({ kind: 'markup-then-image' as const, declared: image.type, bytes: Buffer.concat([page, image.bytes]) })),
    fc
      .tuple(anyType, fc.uint8Array({ minLength: 1, maxLength: 256 }))
      .map(([declared, bytes]) => ({ kind: 'random' as const, declared, bytes: Buffer.from(bytes) })),
    genuine.chain((file) => fc.constantFrom(file.type, ...VAGUE_DECLARATIONS).map((declared) => ({ kind: 'genuine' as const, declared, bytes: file.bytes }))),
  );
  return fc.record({ upload: kinds, layer, filename }).map(({ upload, layer: chosen, filename: name }) => ({ ...upload, layer: chosen, filename: name }));
}

/** A multipart body carrying the case's file part exactly as declared (and the fields of a create). */
export function multipartOf(upload: UploadCase, fields: Record<string, string>, boundary: string): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${upload.filename}"\r\nContent-Type: ${upload.declared}\r\n\r\n`),
    upload.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return Buffer.concat(parts);
}
