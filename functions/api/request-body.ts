/**
 * Request bodies: JSON objects and multipart forms with at most one file. The
 * file is streamed from the parser into the blob store under a staging name while the form is read.
 */
import busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../domain/errors.js';
import type { BlobInfo, BlobStore } from '../domain/ports/blob-store.js';
import type { ApiRequest } from './http-types.js';

const STAGING_PREFIX = 'staging/';
const FORM_LIMITS = { fields: 100, fieldSize: 1024 * 1024, parts: 120 };

export interface UploadedFile {
  blob: BlobInfo;
  originalName: string;
  mimeType: string;
}

export interface RequestBody {
  fields: Record<string, unknown>;
  file?: UploadedFile;
}

export interface BodyOptions {
  maxBytes: number;
  /** Where multipart files go; without it a file part is refused. */
  blobStore?: BlobStore;
  fileFields?: readonly string[];
}

function mediaType(request: ApiRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function bodyLength(request: ApiRequest): number {
  const declared = Number(request.headers['content-length'] ?? 0);
  return Math.max(Number.isFinite(declared) ? declared : 0, request.rawBody?.length ?? 0);
}

/** Whether the request carries a body at all, parsed by functions-framework or not. */
function hasBody(request: ApiRequest): boolean {
  if ((request.rawBody?.length ?? 0) > 0) return true;
  if (request.headers['transfer-encoding'] !== undefined) return true;
  return Number(request.headers['content-length'] ?? 0) > 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** Form field names may carry `[]` (`tags[]`, `components[]`); repeated names collect into arrays. */
function addField(fields: Record<string, unknown>, rawName: string, value: unknown): void {
  const name = rawName.endsWith('[]') ? rawName.slice(0, -2) : rawName;
  const existing = fields[name];
  if (existing === undefined) fields[name] = rawName.endsWith('[]') ? [value] : value;
  else fields[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
}

export async function readBody(request: ApiRequest, options: BodyOptions): Promise<RequestBody> {
  if (bodyLength(request) > options.maxBytes) throw new PayloadTooLargeError(options.maxBytes);
  const type = mediaType(request);
  if (type === 'multipart/form-data') return readMultipart(request, options);
  if (type === 'application/json' || type.endsWith('+json')) {
    const body: unknown = request.body;
    if (!isPlainObject(body)) throw ValidationError.single('(body)', 'must be a JSON object');
    const fields: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(body)) addField(fields, name, value);
    return { fields };
  }
  // Any other body (no Content-Type, urlencoded forms, text) is refused rather than read as empty:
  // a JSON body sent without its header would otherwise be answered "layer is required".
  if (!hasBody(request)) return { fields: {} };
  throw new UnsupportedMediaTypeError(type, ['application/json', 'multipart/form-data']);
}

function readMultipart(request: ApiRequest, options: BodyOptions): Promise<RequestBody> {
  const raw = request.rawBody;
  if (!raw) return Promise.resolve({ fields: {} });
  return new Promise<RequestBody>((resolve, reject) => {
    const fields: Record<string, unknown> = {};
    let upload: Promise<UploadedFile> | undefined;
    let failure: Error | undefined;
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { ...FORM_LIMITS, files: 1, fileSize: options.maxBytes } });
    } catch (error) {
      reject(ValidationError.single('(body)', `not a multipart form: ${(error as Error).message}`));
      return;
    }
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) failure ??= ValidationError.single(name, `is longer than ${FORM_LIMITS.fieldSize} bytes`);
      addField(fields, name, value);
    });
    parser.on('file', (name, stream, info) => {
      const accepted = options.fileFields ?? ['file'];
      if (!options.blobStore || !accepted.includes(name)) {
        failure ??= ValidationError.single(name, `unexpected file field; send the file as ${accepted.join(' or ')}`);
        stream.resume();
        return;
      }
      stream.on('limit', () => {
        failure ??= new PayloadTooLargeError(options.maxBytes);
      });
      const stagingName = `${STAGING_PREFIX}${randomUUID()}`;
      const mimeType = info.mimeType || 'application/octet-stream';
      // Staged as opaque bytes: what it is served as is decided from its bytes once the form is read.
      upload = options.blobStore.write(stagingName, stream, { contentType: 'application/octet-stream' }).then((blob) => ({
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
    parser.on('error', (error: Error) => {
      failure ??= ValidationError.single('(body)', `malformed multipart body: ${error.message}`);
      settle();
    });
    parser.on('close', settle);
    let settled = false;
    function settle(): void {
      if (settled) return;
      settled = true;
      const pending = upload ?? Promise.resolve(undefined);
      pending.then(
        async (file) => {
          if (failure) {
            if (file) await options.blobStore!.delete(file.blob.name);
            reject(failure);
          } else {
            resolve(file ? { fields, file } : { fields });
          }
        },
        (error: unknown) => reject(failure ?? error),
      );
    }
    parser.end(raw);
  });
}
