/**
 * Request bodies: JSON objects and multipart forms with at most one file, read from the request
 * stream by the route that wants them, after authentication, each with its route's limit
 * (body-limits.ts); functions-framework never buffers them (platform/request-bodies.ts). A JSON
 * body is refused with 413 as soon as its declared length is over the limit, without being read.
 * A form's file is streamed from the parser into the blob store under a staging name while the
 * form is read; its other fields are held to the JSON limit together.
 */
import busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { jsonProblemOf } from '../domain/json-inspection.js';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../domain/errors.js';
import type { BlobStore } from '../domain/ports/blob-store.js';
import { decodedBodyStream, readBodyBytes } from '../platform/body-reader.js';
import { hasRequestBody } from '../platform/request-bodies.js';
import type { UploadedFile } from '../domain/upload-policy.js';
import type { ApiRequest } from './http-types.js';

const STAGING_PREFIX = 'staging/';
const FORM_LIMITS = { fields: 100, fieldSize: 1024 * 1024, parts: 120 };

export interface RequestBody {
  fields: Record<string, unknown>;
  file?: UploadedFile;
}

export interface BodyOptions {
  /** A JSON body, or the fields of a form together: at most this many bytes. */
  maxBytes: number;
  /** Forms with a file: where the file goes and how large the whole form may be. Without it a file part is refused. */
  upload?: { blobStore: BlobStore; fileFields: readonly string[]; maxBytes: number };
}

function mediaType(request: ApiRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The charset parameter of the Content-Type, lowercased; undefined when there is none. */
function charsetOf(request: ApiRequest): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(request.headers['content-type'] ?? '');
  return match?.[1]?.toLowerCase();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/**
 * Form field names may carry `[]` (`tags[]`, `components[]`); repeated names collect into arrays.
 * Names are the client's: only own properties are read, and each is defined as a plain data property,
 * so a field named `__proto__` or `constructor` is a field like any other (refused by name by the
 * schemas) instead of the object's prototype or its inherited members.
 */
function addField(fields: Record<string, unknown>, rawName: string, value: unknown): void {
  const name = rawName.endsWith('[]') ? rawName.slice(0, -2) : rawName;
  const existing = Object.hasOwn(fields, name) ? fields[name] : undefined;
  const collected = existing === undefined ? (rawName.endsWith('[]') ? [value] : value) : Array.isArray(existing) ? [...existing, value] : [existing, value];
  Object.defineProperty(fields, name, { value: collected, enumerable: true, writable: true, configurable: true });
}

/** Every string of a body well-formed, its nesting bounded: or a 400 naming the field. */
function assertAcceptable(fields: Record<string, unknown>): void {
  const problem = jsonProblemOf(fields);
  if (problem) throw new ValidationError([problem]);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

async function readJson(request: ApiRequest, maxBytes: number): Promise<RequestBody> {
  const charset = charsetOf(request);
  // JSON exchanged between systems is UTF-8 (RFC 8259, section 8.1).
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new UnsupportedMediaTypeError(`a JSON body in charset ${charset}`, ['UTF-8 JSON', 'multipart/form-data']);
  }
  const bytes = await readBodyBytes(request, maxBytes);
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch (error) {
    if (error instanceof TypeError) throw ValidationError.single('(body)', 'is not valid UTF-8');
    throw error;
  }
  // An empty JSON body is a common client mistake for "no fields" (body-parser read it as {}).
  if (text.trim() === '') return { fields: {} };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) throw ValidationError.single('(body)', 'is not valid JSON');
    throw error;
  }
  if (!isPlainObject(body)) throw ValidationError.single('(body)', 'must be a JSON object');
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) addField(fields, name, value);
  assertAcceptable(fields);
  return { fields };
}

export async function readBody(request: ApiRequest, options: BodyOptions): Promise<RequestBody> {
  const type = mediaType(request);
  if (type === 'multipart/form-data') return readMultipart(request, options);
  if (type === 'application/json' || type.endsWith('+json')) return readJson(request, options.maxBytes);
  // Any other body (no Content-Type, urlencoded forms, text) is refused rather than read as empty:
  // a JSON body sent without its header would otherwise be answered "layer is required".
  if (!hasRequestBody(request)) return { fields: {} };
  throw new UnsupportedMediaTypeError(type, ['application/json', 'multipart/form-data']);
}

/** Passes bytes through, failing once more than `limit` have passed. */
class ByteLimit extends Transform {
  private seen = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) callback(new PayloadTooLargeError(this.limit));
    else callback(null, chunk);
  }
}

function readMultipart(request: ApiRequest, options: BodyOptions): Promise<RequestBody> {
  const formLimit = options.upload?.maxBytes ?? options.maxBytes;
  if (!hasRequestBody(request)) return Promise.resolve({ fields: {} });
  const source = decodedBodyStream(request, formLimit);
  return new Promise<RequestBody>((resolve, reject) => {
    const fields: Record<string, unknown> = {};
    let fieldBytes = 0;
    let upload: Promise<UploadedFile> | undefined;
    let fileStream: Readable | undefined;
    let failure: Error | undefined;
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: { ...FORM_LIMITS, fieldSize: Math.min(FORM_LIMITS.fieldSize, options.maxBytes), files: 1, fileSize: formLimit },
      });
    } catch (error) {
      reject(ValidationError.single('(body)', `not a multipart form: ${(error as Error).message}`));
      return;
    }
    const limit = new ByteLimit(formLimit);
    /** Stops reading at the first failure: the rest of the body is discarded once the answer is sent. */
    const fail = (error: Error): void => {
      failure ??= error;
      source.unpipe(limit);
      limit.unpipe(parser);
      fileStream?.destroy(failure);
      settle();
    };
    parser.on('field', (name, value, info) => {
      fieldBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
      if (info.valueTruncated) failure ??= ValidationError.single(name, `is longer than ${Math.min(FORM_LIMITS.fieldSize, options.maxBytes)} bytes`);
      else if (fieldBytes > options.maxBytes) fail(new PayloadTooLargeError(options.maxBytes, 'The form’s fields together exceed'));
      addField(fields, name, value);
    });
    parser.on('file', (name, stream, info) => {
      const accepted = options.upload?.fileFields ?? ['file'];
      if (!options.upload || !accepted.includes(name)) {
        failure ??= ValidationError.single(name, `unexpected file field; send the file as ${accepted.join(' or ')}`);
        stream.resume();
        return;
      }
      stream.on('limit', () => fail(new PayloadTooLargeError(formLimit)));
      fileStream = stream;
      const blobStore = options.upload.blobStore;
      const stagingName = `${STAGING_PREFIX}${randomUUID()}`;
      const mimeType = info.mimeType || 'application/octet-stream';
      // Staged as opaque bytes: what it is served as is decided from its bytes once the form is read.
      upload = blobStore.write(stagingName, stream, { contentType: 'application/octet-stream' }).then((blob) => ({
        blob,
        originalName: info.filename ?? 'upload',
        mimeType,
      }));
      // Kept to settle after the form: a failed write is reported once, below.
      upload.catch(() => undefined);
    });
    parser.on('filesLimit', () => {
      failure ??= ValidationError.single('file', 'only one file may be sent');
    });
    parser.on('fieldsLimit', () => {
      failure ??= ValidationError.single('(body)', `more than ${FORM_LIMITS.fields} form fields`);
    });
    parser.on('error', (error: Error) => fail(ValidationError.single('(body)', `malformed multipart body: ${error.message}`)));
    parser.on('close', settle);
    limit.on('error', (error: Error) => fail(error));
    source.on('error', (error: Error) => fail(ValidationError.single('(body)', `could not be read: ${error.message}`)));
    request.on('aborted', () => fail(ValidationError.single('(body)', 'ended before the form did (the connection was cut)')));
    let settled = false;
    function settle(): void {
      if (settled) return;
      settled = true;
      const pending = upload ?? Promise.resolve(undefined);
      pending.then(
        async (file) => {
          if (!failure) {
            try {
              assertAcceptable(fields);
            } catch (error) {
              failure = error as Error;
            }
          }
          if (failure) {
            if (file) await options.upload!.blobStore.delete(file.blob.name);
            reject(failure);
          } else {
            resolve(file ? { fields, file } : { fields });
          }
        },
        (error: unknown) => reject(failure ?? error),
      );
    }
    source.pipe(limit).pipe(parser);
  });
}
