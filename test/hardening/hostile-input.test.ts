/**
 * Client input that used to reach Firestore or a recursive check and came back as a 5xx: lone
 * UTF-16 surrogates (JSON's `\ud800`), cursors naming document ids Firestore cannot hold, values
 * nested thousands deep. Each is a 400 naming the field, stores nothing, and leaves the API (and the
 * subcategory it aimed at) answering within its deadline.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { formOf, starPayload } from '../support/asset-fixtures.js';
import { useApi } from '../support/api-server.js';
import { snapshotCollection } from '../support/firestore-direct.js';
import { call, dataOf, type ApiReply, type Envelope } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';
import { send, violation } from './fuzz-client.js';
import { hostileRequest } from './hostile-arbitraries.js';

const RUNS = Number(process.env['HOSTILE_RUNS'] ?? (process.env['HARD'] ? 3000 : 300));
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261202);

/** A lone high surrogate as JSON writes it: JSON.stringify keeps it escaped, as a client sends it. */
const LONE = '\ud800';

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

/** Nested as JSON text, without JSON.stringify (which overflows the stack at this depth). */
function nestedText(depth: number): string {
  return `${'{"a":'.repeat(depth)}{"leaf":true}${'}'.repeat(depth)}`;
}

function expect400Naming(reply: ApiReply<Envelope>, path: string | RegExp, label: string): void {
  expect(reply.status, `${label}: ${reply.text.slice(0, 300)}`).to.equal(400);
  const paths = reply.body.error!.details.map((detail) => detail.path);
  if (typeof path === 'string') expect(paths, label).to.include(path);
  else
    expect(
      paths.some((candidate) => path.test(candidate)),
      `${label}: ${paths.join(', ')}`,
    ).to.equal(true);
}

describe('hostile input is a 4xx, never a 5xx', function () {
  this.timeout(60_000);
  const api = useApi({ FIRESTORE_DEADLINE_MS: '2000' });

  describe('lone surrogates', () => {
    it('refuses one in a JSON create, naming the field, and the subcategory takes the next create at once', async () => {
      const refused = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ description: `bad ${LONE}` }) });
      expect400Naming(refused, 'description', 'description');
      // Had the refused write held the subcategory's lock, this one would wait past its 2 s deadline: 503.
      const next = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() });
      expect(next.status, next.text).to.equal(201);
      expect(Object.keys(await snapshotCollection('assets'))).to.have.length(1);
    });

    it('refuses one in a key or a nested value of metadata, in tags and in an update', async () => {
      expect400Naming(
        await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ metadata: { [`k${LONE}`]: 'v' } }) }),
        /^metadata\./,
        'metadata key',
      );
      expect400Naming(
        await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ metadata: { deep: { list: ['ok', LONE] } } }) }),
        'metadata.deep.list.1',
        'metadata value',
      );
      expect400Naming(await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ tags: ['fine', LONE] }) }), 'tags.1', 'tags');
      const asset = dataOf<{ id: string }>(await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() }));
      expect400Naming(await call(api.url, 'PUT', `/api/assets/${asset.id}`, { token: TOKENS.editor, json: { description: LONE } }), 'description', 'update');
      expect(Object.keys(await snapshotCollection('assets'))).to.have.length(1);
    });

    it('refuses one inside the JSON text of a multipart field', async () => {
      for (const [field, value] of [
        ['metadata', `{"note":"\\ud800"}`],
        ['tags', `["\\udc00"]`],
        ['aiMetadata', `{"mood":"\\ud83d"}`],
      ] as const) {
        const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, body: formOf({ ...starPayload(), [field]: value }) });
        expect400Naming(reply, new RegExp(`^${field}`), field);
      }
      expect(await snapshotCollection('assets')).to.deep.equal({});
    });

    it('refuses one in an anonymous search, in its tags and its text', async () => {
      expect400Naming(await call(api.url, 'POST', '/api/assets/search', { json: { tags: [LONE] } }), 'tags.0', 'search tags');
      expect400Naming(await call(api.url, 'POST', '/api/assets/search', { json: { search: `pop ${LONE}` } }), 'search', 'search text');
      const query = await call(api.url, 'GET', '/api/assets?tags=%ED%A0%80&search=%ED%A0%80');
      expect(query.status, query.text).to.be.below(500);
    });
  });

  describe('field names of Object.prototype', () => {
    it('refuses __proto__, constructor and toString by name, in JSON and in a form, and stores nothing', async () => {
      const names = ['__proto__', 'constructor', 'toString'];
      // JSON.stringify would drop a __proto__ key set on a literal: the body is written as text.
      const json = `{${JSON.stringify(starPayload()).slice(1, -1)},"__proto__":{"role":"admin"},"constructor":{"prototype":{"x":1}},"toString":"x"}`;
      const fromJson = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, body: json, headers: { 'Content-Type': 'application/json' } });
      const form = formOf(starPayload());
      for (const name of names) form.append(name, 'x');
      const fromForm = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, body: form });
      for (const reply of [fromJson, fromForm]) {
        expect(reply.status, reply.text).to.equal(400);
        expect(reply.body.error!.details.map((detail) => detail.path).sort()).to.deep.equal([...names].sort());
      }
      expect(await snapshotCollection('assets')).to.deep.equal({});
    });
  });

  describe('cursors', () => {
    it('refuses a listing cursor whose document id Firestore cannot hold (a/b, empty, __x__), anonymously', async () => {
      for (let index = 0; index < 3; index++) dataOf(await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() }));
      const first = await call(api.url, 'GET', '/api/assets?limit=1');
      const cursor = (first.body.data as { nextCursor: string }).nextCursor;
      const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at: unknown[] };
      for (const id of ['a/b', '', '__x__', '.', LONE]) {
        const forged = Buffer.from(JSON.stringify({ ...decoded, at: [...decoded.at.slice(0, -1), id] })).toString('base64url');
        const reply = await call(api.url, 'GET', `/api/assets?limit=1&cursor=${forged}`);
        expect400Naming(reply, 'cursor', `cursor id ${JSON.stringify(id)}`);
      }
      const lonePosition = Buffer.from(JSON.stringify({ ...decoded, at: [LONE, ...decoded.at.slice(1)] })).toString('base64url');
      expect400Naming(await call(api.url, 'GET', `/api/assets?limit=1&cursor=${lonePosition}`), 'cursor', 'cursor position');
      expect((await call(api.url, 'GET', `/api/assets?limit=1&cursor=${cursor}`)).status, 'the real cursor still works').to.equal(200);
    });
  });

  describe('deep nesting', () => {
    it('refuses metadata nested 5,000 deep as JSON, as the text of a form field, and in aiMetadata', async () => {
      const asJson = await call(api.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        body: JSON.stringify(starPayload()).replace(/}$/, `,"metadata":${nestedText(5000)}}`),
        headers: { 'content-type': 'application/json' },
      });
      expect400Naming(asJson, 'metadata', 'JSON body');
      const asForm = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, body: formOf({ ...starPayload(), metadata: nestedText(5000) }) });
      expect400Naming(asForm, 'metadata', 'form field');
      const ai = await call(api.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        body: formOf({ ...starPayload(), aiMetadata: `{"inputContext":${nestedText(5000)}}` }),
      });
      expect400Naming(ai, /^aiMetadata/, 'aiMetadata');
      expect(await snapshotCollection('assets')).to.deep.equal({});
    });

    it('refuses a search body nested 5,000 deep, and says how deep free-form JSON may be', async () => {
      const search = await call(api.url, 'POST', '/api/assets/search', {
        body: `{"tags":${'['.repeat(5000)}${']'.repeat(5000)}}`,
        headers: { 'content-type': 'application/json' },
      });
      expect400Naming(search, 'tags', 'search');
      const seventeen = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ metadata: nested(17) }) });
      expect400Naming(seventeen, 'metadata', 'depth 17');
      expect(seventeen.body.error!.details[0]!.issue).to.match(/deeper than 16/);
    });
  });

  describe('generated', function () {
    this.timeout(RUNS * 300 + 60_000);

    it(`answers ${RUNS} generated forged cursors, deep values, lone surrogates and oversized bodies (seed ${SEED}) with 4xx, changing nothing`, async () => {
      for (let index = 0; index < 3; index++) dataOf(await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() }));
      const before = await snapshotCollection('assets');
      await fc.assert(
        fc.asyncProperty(hostileRequest, async (request) => {
          const reply = await send(api.url, request);
          const problem =
            violation(request, reply) ??
            (reply.status < 400 && request.method !== 'GET' && !request.path.startsWith('/api/assets/search')
              ? `status ${reply.status}: a hostile write was accepted`
              : undefined);
          if (problem) throw new Error(`${request.method} ${request.path.slice(0, 300)} ${String(request.body ?? '').slice(0, 300)} -> ${problem}`);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: false },
      );
      expect(await snapshotCollection('assets'), 'no hostile request wrote anything').to.deep.equal(before);
      // No request left the subcategory's lock held: a create there is within its 2 s deadline.
      const after = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() });
      expect(after.status, after.text).to.equal(201);
    });
  });
});
