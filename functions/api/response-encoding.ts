/**
 * Content coding of response bodies by the request's Accept-Encoding: brotli, else gzip (Node's
 * zlib, on its thread pool so the event loop keeps serving), else the bytes as they are. Cloud
 * Functions' front end passes a body the function encoded through with its Content-Encoding and
 * does not compress one itself (docs/frontend.md), so the function does it.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export type ContentCoding = 'br' | 'gzip' | 'identity';

/** Smaller bodies go as they are: compressing them saves less than it costs. */
export const MIN_COMPRESSED_BYTES = 1024;

/**
 * Brotli at quality 4 compresses the 1000-item listing a little better than gzip in about the same
 * time; the default quality (11) takes a second and a half for it.
 */
const BROTLI_QUALITY = 4;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Our preference among codings a client accepts equally. */
const PREFERENCE: readonly ContentCoding[] = ['br', 'gzip', 'identity'];

/** The coding to answer with (RFC 9110, 12.5.3): the client's highest q-value, ours among equals. */
export function negotiateCoding(acceptEncoding: string | undefined): ContentCoding {
  if (acceptEncoding === undefined || acceptEncoding.trim() === '') return 'identity';
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (!name) continue;
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name === 'x-gzip' ? 'gzip' : name, Number.isFinite(weight) ? weight : 0);
  }
  const wildcard = weights.get('*');
  const weightOf = (coding: ContentCoding): number =>
    // Identity is acceptable unless refused by name or by a refusing `*` (RFC 9110, 12.5.3).
    weights.get(coding) ?? (coding === 'identity' ? (wildcard === 0 ? 0 : 1) : (wildcard ?? 0));
  let best: ContentCoding = 'identity';
  let bestWeight = 0;
  for (const coding of PREFERENCE) {
    const weight = weightOf(coding);
    if (weight > bestWeight) [best, bestWeight] = [coding, weight];
  }
  // A client refusing every coding offered gets the bytes as they are: a 406 would help no one.
  return best;
}

/** The body in a coding; identity is the body itself. */
export function encodeBody(body: Buffer, coding: ContentCoding): Promise<Buffer> {
  switch (coding) {
    case 'identity':
      return Promise.resolve(body);
    case 'gzip':
      return gzip(body);
    case 'br':
      return brotli(body, {
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      });
  }
}
