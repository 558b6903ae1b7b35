/**
 * Reading a request body the function has decided to read (platform/request-bodies.ts explains why
 * functions-framework leaves it unread), with the limit of its route. Loaded with the first route
 * or event that reads a body, not at start.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import getRawBody from 'raw-body';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../domain/errors.js';

/** The Content-Length the client declared, or undefined when it sent none (or not a number). */
function declaredLength(request: IncomingMessage): number | undefined {
  const text = request.headers['content-length'];
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text);
}

/**
 * The body as the client meant it: decompressed when it says Content-Encoding gzip, deflate or br
 * (the limit then holds for the decompressed bytes too, so a small bomb is refused like a large
 * body); any other coding is 415. Refused at once, without reading, when its declared length is
 * over the limit.
 */
export function decodedBodyStream(request: IncomingMessage, maxBytes: number): Readable {
  const declared = declaredLength(request);
  if (declared !== undefined && declared > maxBytes) throw new PayloadTooLargeError(maxBytes);
  const coding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  switch (coding) {
    case 'identity':
    case '':
      return request;
    case 'gzip':
    case 'x-gzip':
      return request.pipe(createGunzip());
    case 'deflate':
      return request.pipe(createInflate());
    case 'br':
      return request.pipe(createBrotliDecompress());
    default:
      throw new UnsupportedMediaTypeError(`a body in Content-Encoding ${coding}`, ['identity', 'gzip', 'deflate', 'br']);
  }
}

interface RawBodyFailure {
  type?: string;
  code?: string;
}

/** Reads the whole body, at most `maxBytes` (after decompression): 413 beyond, 400 when it is cut off. */
export async function readBodyBytes(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const stream = decodedBodyStream(request, maxBytes);
  const coding = stream !== request;
  try {
    // With a coding, the declared length is that of the compressed bytes, not what raw-body counts.
    return await getRawBody(stream, { limit: maxBytes, ...(coding ? {} : { length: declaredLength(request) ?? null }) });
  } catch (error) {
    const failure = error as RawBodyFailure;
    if (failure.type === 'entity.too.large' || failure.code === 'ERR_BUFFER_TOO_LARGE') throw new PayloadTooLargeError(maxBytes);
    if (failure.type === 'request.aborted' || failure.type === 'request.size.invalid') {
      throw ValidationError.single('(body)', 'ended before the length it declared (the connection was cut)');
    }
    if (typeof failure.code === 'string' && failure.code.startsWith('Z_')) throw ValidationError.single('(body)', 'is not valid in its Content-Encoding');
    throw error;
  }
}
