/**
 * Which uploaded files the registry stores, decided from their bytes, never from what the client
 * declares alone. The per-layer lists are the web frontend's (its upload component's accepted types
 * per layer) without SVG: HTML, SVG, XML and script files run in a reader's browser when they are
 * served from the bucket, so none is ever stored, whatever it is declared as. Pure: the bytes are
 * recognised by the caller (file-type, in the API) and handed in as evidence.
 */
import { ValidationError } from './errors.js';
import type { BlobInfo } from './ports/blob-store.js';

/** A file a request carried, staged in the blob store while its form was read; its checks come after. */
export interface UploadedFile {
  blob: BlobInfo;
  originalName: string;
  /** What the client declared; the bytes decide what is stored. */
  mimeType: string;
}

const IMAGES = ['image/jpeg', 'image/png', 'image/gif'] as const;
const AUDIO = ['audio/mpeg', 'audio/wav', 'audio/ogg', 'audio/flac', 'audio/aac'] as const;
const VIDEO = ['video/mp4', 'video/webm', 'video/quicktime'] as const;

/** The media types each layer accepts (the frontend's per-layer lists, SVG left out). */
export const LAYER_MEDIA_TYPES: Readonly<Record<string, readonly string[]>> = {
  G: AUDIO,
  S: IMAGES,
  L: IMAGES,
  M: [...VIDEO, 'application/json'],
  W: [...IMAGES, ...VIDEO, 'application/json', 'model/gltf-binary', 'model/gltf+json', 'application/octet-stream'],
  B: [...IMAGES, 'video/mp4', 'video/webm'],
  C: [...VIDEO, ...AUDIO, ...IMAGES],
  P: [...VIDEO, ...AUDIO, ...IMAGES],
  T: [...VIDEO, ...AUDIO, ...IMAGES],
  R: [...VIDEO, ...AUDIO, ...IMAGES],
};

/** `POST /api/assets/upload` names no layer: it takes what any layer takes. */
export const ANY_LAYER_MEDIA_TYPES: readonly string[] = [...new Set(Object.values(LAYER_MEDIA_TYPES).flat())];

/** The extension a stored file gets: from its recognised type, never from the name the client sent. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'audio/mpeg': '.mp3',
  'audio/wav': '.wav',
  'audio/ogg': '.ogg',
  'audio/flac': '.flac',
  'audio/aac': '.aac',
  'video/mp4': '.mp4',
  'video/webm': '.webm',
  'video/quicktime': '.mov',
  'application/json': '.json',
  'model/gltf-binary': '.glb',
  'model/gltf+json': '.gltf',
  'application/octet-stream': '.bin',
};

/** Other spellings of the same formats, as browsers, curl and file-type name them. */
const ALIASES: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/apng': 'image/png',
  'audio/mp3': 'audio/mpeg',
  'audio/x-mp3': 'audio/mpeg',
  'audio/mpeg3': 'audio/mpeg',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/x-flac': 'audio/flac',
  'audio/x-aac': 'audio/aac',
  'audio/aacp': 'audio/aac',
  'application/ogg': 'audio/ogg',
  'video/x-m4v': 'video/mp4',
  'video/x-quicktime': 'video/quicktime',
};

/** Types a browser runs or renders as a document: refused whatever else is true of the file. */
const ACTIVE_TYPES = new Set([
  'text/html',
  'application/xhtml+xml',
  'image/svg+xml',
  'text/xml',
  'application/xml',
  'text/javascript',
  'application/javascript',
  'application/x-javascript',
  'application/ecmascript',
  'text/ecmascript',
  'text/css',
  'application/wasm',
]);

/**
 * What a client's declaration of "no particular type" looks like. A form part without a Content-Type
 * reaches the API as text/plain (busboy's default, after RFC 7578), so that says nothing either.
 */
const UNSPECIFIED = new Set(['', 'application/octet-stream', 'text/plain']);

/** What the first bytes are, when no binary format was recognised in them. */
export type TextKind = 'empty' | 'json' | 'markup' | 'text' | 'binary';

export interface UploadEvidence {
  /** The Content-Type of the form's file part (what the client says it is). */
  declared: string;
  size: number;
  /** The media type file-type recognised in the first bytes, if any. */
  recognised: string | undefined;
  /** What the first bytes look like as text (see textKindOf). */
  text: TextKind;
}

export interface LayerRule {
  /** `S (Stars)`, or undefined for the layer-less upload route. */
  layerLabel: string | undefined;
  accepted: readonly string[];
}

export interface AcceptedUpload {
  contentType: string;
  /** Set for what a browser should save rather than show (JSON, 3D models, opaque binaries). */
  contentDisposition: string | undefined;
  extension: string;
}

/** The media type without parameters, lower-cased, under its usual spelling. */
export function canonicalMediaType(type: string): string {
  const bare = (type.split(';')[0] ?? '').trim().toLowerCase();
  return ALIASES[bare] ?? bare;
}

/**
 * Markup starts (after a byte order mark and white space) with `<`, whatever follows it; JSON with
 * `{` or `[`. Anything with a NUL or bytes that are not UTF-8 is binary.
 */
export function textKindOf(head: Uint8Array): TextKind {
  const sample = head.subarray(0, Math.min(head.length, 1024));
  const lenient = new TextDecoder('utf-8').decode(sample);
  const start = lenient.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<')) return 'markup';
  // A multi-byte character cut at the end of the sample is the one undecodable place forgiven.
  if (lenient.includes('\u0000') || lenient.slice(0, -1).includes('\uFFFD')) return 'binary';
  if (start === '') return 'empty';
  if (start.startsWith('{') || start.startsWith('[')) return 'json';
  return 'text';
}

const DESCRIPTION: Record<TextKind, string> = {
  empty: 'white space only',
  json: 'JSON text',
  markup: 'HTML or XML markup',
  text: 'plain text',
  binary: 'of no format the registry recognises',
};

function refuse(issue: string): never {
  throw ValidationError.single('file', issue);
}

/**
 * The stored type of an upload, or a ValidationError naming `file`: an empty file, active content
 * (HTML, SVG, XML, script), a declared type its bytes contradict, or a type the layer does not take.
 */
export function judgeUpload(evidence: UploadEvidence, rule: LayerRule): AcceptedUpload {
  if (evidence.size === 0) refuse('is empty (0 bytes)');
  const declared = canonicalMediaType(evidence.declared);
  const recognised = evidence.recognised === undefined ? undefined : canonicalMediaType(evidence.recognised);
  if (ACTIVE_TYPES.has(declared) || (recognised !== undefined && ACTIVE_TYPES.has(recognised)) || (recognised === undefined && evidence.text === 'markup')) {
    refuse('is HTML, SVG, XML or script, which is never stored: a browser would run it for whoever opens its URL');
  }
  let type: string;
  if (recognised !== undefined) {
    if (!UNSPECIFIED.has(declared) && declared !== recognised) refuse(`is declared ${declared}, but its bytes are ${recognised}`);
    type = recognised;
  } else if (evidence.text === 'json' && (declared === 'application/json' || declared === 'model/gltf+json' || UNSPECIFIED.has(declared))) {
    type = declared === 'model/gltf+json' ? declared : 'application/json';
  } else if (!UNSPECIFIED.has(declared)) {
    refuse(`is declared ${declared}, but its bytes are ${DESCRIPTION[evidence.text]}`);
  } else if (evidence.text !== 'binary') {
    // Opaque binaries may be stored as such; text (a script, say) that names no format may not.
    refuse(`is ${DESCRIPTION[evidence.text]}, which no layer takes`);
  } else {
    type = 'application/octet-stream';
  }
  if (!rule.accepted.includes(type)) {
    const where = rule.layerLabel === undefined ? 'as an upload' : `for layer ${rule.layerLabel}`;
    refuse(`is ${type}, which is not accepted ${where}; accepted: ${rule.accepted.join(', ')}`);
  }
  const shown = type.startsWith('image/') || type.startsWith('audio/') || type.startsWith('video/');
  return { contentType: type, contentDisposition: shown ? undefined : 'attachment', extension: EXTENSIONS[type] ?? '.bin' };
}
