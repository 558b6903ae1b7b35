/**
 * fast-check generators of hostile HTTP requests against the API: every route, methods, content
 * types, headers, bodies and query strings, with very long strings, deep JSON, wrong types, unicode
 * edge cases and duplicated parameters; mixed with the targeted ones of hostile-arbitraries.ts
 * (forged cursors, nesting thousands deep, lone surrogates, bodies over their route's limit).
 */
import fc from 'fast-check';
import { hostileRequest } from './hostile-arbitraries.js';

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

const unicodeEdge = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\uFEFF',
  '\uD800',
  '\u202E',
  'é',
  'e\u0301',
  '🎵',
  '𝕏',
  '\r\n',
  '%',
  '%00',
  '%zz',
  '..',
  '../..',
  '/',
  '\\',
  '__name__',
  '$ref',
  'constructor',
  '__proto__',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  'S.POP.BAS.001',
  '2.001.001.001',
  'C.RMX.POP.001:S.FAN.BAS.001+',
);

const fuzzString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: unicodeEdge },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20000 }).map((length) => 'x'.repeat(length)) },
);

/** A JSON value nested `depth` levels deep. */
const deepJson = fc.integer({ min: 15, max: 400 }).map((depth) => {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = level % 2 ? [value] : { nested: value };
  return value;
});

const wrongType = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constant([]),
  fc.constant({}),
  fuzzString,
  fc.array(fuzzString, { maxLength: 3 }),
);

const fieldNames = [
  'layer',
  'category',
  'subcategory',
  'source',
  'description',
  'creatorDescription',
  'tags',
  'trainingData',
  'rights',
  'components',
  'metadata',
  'status',
  'albumArt',
  'extractedSongData',
  'aiMetadata',
  'name',
  'search',
  'page',
  'limit',
  'sortBy',
  'sortOrder',
  'startDate',
  'endDate',
  'cursor',
  'sourceUrl',
  'version',
  'reason',
  'force',
  'purge',
] as const;

/** Asset-like objects: plausible keys with values of every type, including deep and huge ones. */
const assetLikeBody = fc
  .dictionary(
    fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...fieldNames) }, { weight: 1, arbitrary: fuzzString }),
    fc.oneof({ weight: 4, arbitrary: wrongType }, { weight: 1, arbitrary: deepJson }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) }),
    { maxKeys: 8 },
  )
  .map((body) => {
    // Plausible enough to get past the first checks now and then.
    if (Math.abs(Object.keys(body).length % 3) === 0) return { layer: 'S', category: 'POP', subcategory: 'BAS', description: 'fuzz', ...body };
    return body;
  });

const routeTemplates = [
  '/api/health',
  '/api/assets',
  '/api/assets/search',
  '/api/assets/upload',
  '/api/assets/{id}',
  '/api/assets/{id}/album-art',
  '/api/assets/nna/{id}',
  '/api/assets/{id}/history',
  '/api/assets/{id}/restore',
  '/api/assets/{id}/revert',
  '/api/assets/deleted',
  '/api/assets/deleted/purge-expired',
  '/api/taxonomy/layers',
  '/api/taxonomy/layers/{id}/categories',
  '/api/taxonomy/layers/{id}/categories/{id}/subcategories',
  '/api/openapi.json',
  '/api/admin/stats',
  '/api/admin/flags',
  '/admin',
  '/api/nothing/here',
  '/',
];

/** Lone surrogates cannot be percent-encoded; they still reach the server in raw bodies. */
function encode(value: string): string {
  return encodeURIComponent(value.toWellFormed());
}

const pathSegment = fuzzString.map((value) => (value.length > 0 ? encode(value) : ''));
const rawSegment = fc.constantFrom('%', '%E0%A4%A', '..', '%2F', 'a%00b', '%FF', '~', '%25');

const path = fc
  .tuple(fc.constantFrom(...routeTemplates), fc.array(fc.oneof(pathSegment, rawSegment), { minLength: 3, maxLength: 3 }))
  .map(([template, segments]) => {
    let index = 0;
    return template.replace(/\{id\}/g, () => segments[index++] ?? 'x');
  });

const queryString = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...fieldNames, 'tags[]', 'page', 'limit'), fuzzString), fuzzString), { maxLength: 6 })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${encode(key)}=${encode(value)}`).join('&')}`));

const authorization = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    'Bearer dev:fuzz@example.com:editor,admin',
    'Bearer dev:reader@example.com:',
    'Bearer ',
    'Bearer dev:::',
    'Basic Zm9vOmJhcg==',
    'Bearer a.b.c',
    'bearer dev:x@y.z:editor',
  ),
  // Header values must be printable ASCII, or Node's client refuses to send them at all.
  fuzzString.map((value) => `Bearer ${[...value].filter((character) => character >= ' ' && character <= '~').join('')}`),
);

const contentType = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/merge-patch+json',
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data',
    'multipart/form-data; boundary=----fuzz',
    'application/octet-stream',
    '*/*',
    'garbage',
  ),
);

function multipartBody(fields: Array<[string, string]>, boundary: string, withFile: boolean): string {
  const parts = fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/["\r\n]/g, '')}"\r\n\r\n${value}\r\n`);
  if (withFile)
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.bin"\r\nContent-Type: application/octet-stream\r\n\r\n\u0000\u0001binary\r\n`,
    );
  return `${parts.join('')}--${boundary}--\r\n`;
}

const body = fc.oneof(
  { weight: 4, arbitrary: assetLikeBody.map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[', 'null', '"str"', '12', 'true', '{"__proto__":{"x":1}}', '{"a":1,"a":2}', '\uFEFF{}', '') },
  { weight: 1, arbitrary: fuzzString },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
);

const anyRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    method: fc.constantFrom('GET', 'GET', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
    path,
    query: queryString,
    authorization,
    contentType,
    body,
    multipart: fc.option(fc.tuple(fc.array(fc.tuple(fc.constantFrom(...fieldNames, 'tags[]', 'components[]'), fuzzString), { maxLength: 8 }), fc.boolean()), {
      nil: undefined,
    }),
    ifMatch: fc.option(fc.constantFrom('*', '"abc"', 'W/"x"', '', '"a", "b"'), { nil: undefined }),
    idempotencyKey: fc.option(
      fc.oneof(
        fc.constantFrom('k1', 'k2', '', ' ', 'x'.repeat(300)),
        fuzzString.map((value) => [...value].filter((c) => c >= ' ' && c <= '~').join('')),
      ),
      { nil: undefined },
    ),
  })
  .map((spec) => {
    const headers: Record<string, string> = {};
    if (spec.authorization !== undefined) headers['authorization'] = spec.authorization;
    if (spec.ifMatch !== undefined) headers['if-match'] = spec.ifMatch;
    if (spec.idempotencyKey !== undefined) headers['idempotency-key'] = spec.idempotencyKey;
    let requestBody: string | Uint8Array | undefined;
    if (spec.method !== 'GET' && spec.method !== 'HEAD' && spec.method !== 'OPTIONS') {
      if (spec.multipart) {
        headers['content-type'] = 'multipart/form-data; boundary=----fuzz';
        requestBody = multipartBody(spec.multipart[0], '----fuzz', spec.multipart[1]);
      } else {
        if (spec.contentType !== undefined) headers['content-type'] = spec.contentType;
        requestBody = spec.body;
      }
    }
    return { method: spec.method, path: `${spec.path}${spec.query}`, headers, ...(requestBody !== undefined ? { body: requestBody } : {}) };
  });

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof({ weight: 5, arbitrary: anyRequest }, { weight: 1, arbitrary: hostileRequest });
