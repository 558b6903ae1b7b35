/**
 * fast-check generators of the input that used to come back as a 5xx, and of its siblings: cursors
 * the API would accept as its own (their fingerprint matches the query) carrying positions and
 * document ids Firestore cannot take; JSON nested thousands deep, as a body and as the text of a
 * form field; lone UTF-16 surrogates in keys, values and form fields' JSON text; bodies over their
 * route's limit, announced or not. Each is a FuzzRequest, so the fuzz suite mixes them in.
 */
import fc from 'fast-check';
import { listAssetsQuerySchema } from '../../functions/domain/schemas/asset-query.js';
import { encodeCursor, queryFingerprint } from '../../functions/domain/search/page-cursor.js';
import type { FuzzRequest } from './request-arbitraries.js';

const EDITOR = 'Bearer dev:fuzz@example.com:editor,admin';
const KIB = 1024;

/** Document ids and position values Firestore refuses, or that are not what the API wrote. */
const badId = fc.constantFrom('a/b', '', '__x__', '__name__', '.', '..', '/', 'a//b', '\ud800', 'x\udfff', 'x'.repeat(1600), 'ok\u0000id');
const oddPosition = fc.oneof(
  fc.constantFrom<unknown>(null, true, -1, 1e308, '', '\ud83d', 'z'.repeat(2000), '2025-01-01T00:00:00.000Z'),
  fc.string({ maxLength: 20 }),
  fc.double(),
);

/** A GET listing or search with its own cursor: fingerprint right, content hostile. */
const forgedCursor: fc.Arbitrary<FuzzRequest> = fc
  .record({
    search: fc.option(fc.constantFrom('pop', 'star base', 'S.POP.BAS.001'), { nil: undefined }),
    sortBy: fc.option(fc.constantFrom('createdAt', 'updatedAt', 'name'), { nil: undefined }),
    limit: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
    page: fc.integer({ min: 2, max: 10_000 }),
    list: fc.array(oddPosition, { minLength: 1, maxLength: 2 }),
    id: fc.oneof({ weight: 3, arbitrary: badId }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) }),
    searchKey: fc.tuple(
      fc.oneof(fc.integer({ min: 0, max: 1 }), fc.integer()),
      fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer()),
      fc.oneof(fc.string(), badId),
      fc.oneof(badId, fc.string({ minLength: 1, maxLength: 30 })),
    ),
    anonymous: fc.boolean(),
  })
  .map((spec) => {
    const parameters: Record<string, string> = {};
    if (spec.search !== undefined) parameters['search'] = spec.search;
    if (spec.sortBy !== undefined) parameters['sortBy'] = spec.sortBy;
    if (spec.limit !== undefined) parameters['limit'] = String(spec.limit);
    const query = listAssetsQuerySchema.parse(parameters);
    const q = queryFingerprint(query);
    const cursor =
      spec.search === undefined
        ? { v: 1, k: 'list', q, p: spec.page, at: [...spec.list, spec.id] }
        : { v: 2, k: 'search', q, p: spec.page, at: spec.searchKey };
    // The cursor's own encoding (base64url JSON), lone surrogates kept as JSON escapes.
    const text = encodeCursor(cursor as Parameters<typeof encodeCursor>[0]);
    const search = new URLSearchParams({ ...parameters, cursor: text }).toString();
    const headers: Record<string, string> = spec.anonymous ? {} : { authorization: EDITOR };
    return { method: 'GET', path: `/api/assets${spec.search === undefined ? '' : '/search'}?${search}`, headers };
  });

/** JSON text nested `depth` deep around `leaf`, written out (JSON.stringify overflows at such depths). */
function nestedText(depth: number, arrays: boolean, leaf: string): string {
  return arrays ? `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
}

const deepField = fc.constantFrom('metadata', 'trainingData', 'rights', 'aiMetadata', 'extractedSongData', 'tags', 'components', 'albumArt', 'search', 'layer');
/** Past what any body may nest (32), or thousands deep. */
const depth = fc.oneof(fc.integer({ min: 33, max: 60 }), fc.integer({ min: 1000, max: 12_000 }));
/** Free-form JSON is held to 16 levels below its field: these are refused by their schema, not the edge. */
const STORABLE_FIELDS = new Set(['metadata', 'trainingData', 'rights', 'aiMetadata']);

function multipart(fields: Array<[string, string]>): { body: string; type: string } {
  const boundary = '----hostile';
  const parts = fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  return { body: `${parts.join('')}--${boundary}--\r\n`, type: `multipart/form-data; boundary=${boundary}` };
}

const PLAUSIBLE = '"layer":"S","category":"POP","subcategory":"BAS","description":"hostile"';

const writeRoute = fc.constantFrom(
  { method: 'POST', path: '/api/assets' },
  { method: 'POST', path: '/api/assets/search' },
  { method: 'PUT', path: '/api/assets/S.POP.BAS.001' },
  { method: 'PATCH', path: '/api/assets/S.POP.BAS.001' },
  { method: 'POST', path: '/api/assets/S.POP.BAS.001/revert' },
  { method: 'POST', path: '/api/taxonomy/convert/hfn-to-mfa' },
  { method: 'POST', path: '/api/auth/login' },
  { method: 'PUT', path: '/api/admin/flags' },
);

/** A value nested deep in a JSON body, or in the JSON text of a form field. */
const deepNesting: fc.Arbitrary<FuzzRequest> = fc
  .record({
    route: writeRoute,
    field: deepField,
    deep: depth,
    shallow: fc.integer({ min: 17, max: 32 }),
    useShallow: fc.boolean(),
    arrays: fc.boolean(),
    form: fc.boolean(),
  })
  .map(({ route, field, deep, shallow, useShallow, arrays, form }) => {
    const levels = useShallow && STORABLE_FIELDS.has(field) ? shallow : deep;
    const nested = nestedText(levels, arrays, '"bottom"');
    if (form && route.method !== 'POST')
      return { ...route, headers: { authorization: EDITOR, 'content-type': 'application/json' }, body: `{"${field}":${nested}}` };
    if (form) {
      const { body, type } = multipart([
        ['layer', 'S'],
        ['category', 'POP'],
        ['subcategory', 'BAS'],
        ['description', 'hostile'],
        [field, nested],
      ]);
      return { ...route, headers: { authorization: EDITOR, 'content-type': type }, body };
    }
    return { ...route, headers: { authorization: EDITOR, 'content-type': 'application/json' }, body: `{${PLAUSIBLE},"${field}":${nested}}` };
  });

const lone = fc.constantFrom('\\ud800', '\\udbff', '\\udc00', '\\udfff', 'a\\ud83d', '\\ude00b', '\\ud800\\ud800');
const textField = fc.constantFrom('description', 'creatorDescription', 'search', 'layer', 'email', 'password', 'sourceUrl', 'reason');

/** A lone surrogate (as the JSON escape a client sends) in a value, a key, a nested value, a list, or a form field's JSON text. */
const loneSurrogate: fc.Arbitrary<FuzzRequest> = fc
  .record({ route: writeRoute, where: fc.constantFrom('value', 'key', 'nested', 'list', 'form'), field: textField, escape: lone, anonymous: fc.boolean() })
  .map(({ route, where, field, escape, anonymous }) => {
    const headers: Record<string, string> = anonymous ? {} : { authorization: EDITOR };
    if (where === 'form') {
      const { body, type } = multipart([
        ['layer', 'S'],
        ['category', 'POP'],
        ['subcategory', 'BAS'],
        ['description', 'hostile'],
        ['metadata', `{"note":"${escape}"}`],
        ['tags', `["${escape}"]`],
      ]);
      return { method: 'POST', path: route.path === '/api/assets/search' ? route.path : '/api/assets', headers: { ...headers, 'content-type': type }, body };
    }
    const json = {
      value: `{${PLAUSIBLE},"${field}":"x${escape}"}`,
      key: `{${PLAUSIBLE},"metadata":{"k${escape}":1}}`,
      nested: `{${PLAUSIBLE},"metadata":{"a":{"b":["ok","${escape}"]}},"aiMetadata":{"mood":"${escape}"}}`,
      list: `{${PLAUSIBLE},"tags":["pop","${escape}"]}`,
    }[where]!;
    return { ...route, headers: { ...headers, 'content-type': 'application/json' }, body: json };
  });

/** Bodies over their route's limit (64 KiB searches, 1 MiB JSON writes, 16 KiB sign-in), some compressed. */
const oversized: fc.Arbitrary<FuzzRequest> = fc
  .record({
    route: fc.constantFrom(
      { method: 'POST', path: '/api/assets/search', bytes: 64 * KIB },
      { method: 'POST', path: '/api/assets', bytes: 1024 * KIB },
      { method: 'PUT', path: '/api/assets/S.POP.BAS.001', bytes: 1024 * KIB },
      { method: 'POST', path: '/api/auth/login', bytes: 16 * KIB },
      { method: 'POST', path: '/api/taxonomy/convert/mfa-to-hfn', bytes: 4 * KIB },
    ),
    over: fc.integer({ min: 1, max: 64 * KIB }),
    anonymous: fc.boolean(),
  })
  .map(({ route, over, anonymous }) => ({
    method: route.method,
    path: route.path,
    headers: { ...(anonymous ? {} : { authorization: EDITOR }), 'content-type': 'application/json' },
    body: `{${PLAUSIBLE},"metadata":{"pad":"${'p'.repeat(route.bytes + over)}"}}`,
  }));

export const hostileRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(forgedCursor, deepNesting, loneSurrogate, { weight: 1, arbitrary: oversized });
