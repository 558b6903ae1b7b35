/**
 * A stand-in for the old NestJS backend on loopback, for the importer's API source: `POST
 * /api/auth/login {email, password}` answers `data.token`, and `GET /api/assets?page=&limit=` (with
 * that bearer token, else 401) answers `{ success, data: { items, total, page, limit } }` from the
 * documents given, as the old backend served them. `misbehaviour` makes it the hostile backend the
 * importer must survive, and `holdPage` keeps one page unanswered until the test releases it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface FakeLegacyBackend {
  /** The API base, `http://127.0.0.1:<port>/api`. */
  url: string;
  token: string;
  /** Every request as `METHOD path?query`. */
  requests: string[];
  /** Replaced by tests to change what the backend holds. */
  documents: Record<string, unknown>[];
  /** Holds the answer to `page` until release() (resolves once that page has been asked for). */
  holdPage(page: number): Promise<void>;
  release(): void;
  stop(): Promise<void>;
}

/** What a hostile old backend does instead of serving its pages honestly. */
export type Misbehaviour =
  /** From `page` on, an endless answer (`bytes` of it at most), a JSON prefix and then padding. */
  | { kind: 'huge-page'; page: number; bytes: number }
  /** `total` announced instead of the real count. */
  | { kind: 'lying-total'; total: number }
  /** From `page` on, page `page - 1` again, for ever. */
  | { kind: 'repeat-page'; page: number }
  /** From `page` on, an empty page while `total` says more. */
  | { kind: 'empty-page'; page: number }
  /** `page` answers 302 to `location`. */
  | { kind: 'redirect'; page: number; location: string }
  /** `page` holds an item whose description has bytes that are not UTF-8. */
  | { kind: 'not-utf8'; page: number };

export interface FakeBackendOptions {
  documents: Record<string, unknown>[];
  account?: { email: string; password: string };
  /** The most the backend serves per page, whatever is asked. */
  maxLimit?: number;
  misbehaviour?: Misbehaviour;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Writes up to `bytes` of one JSON string's padding, with backpressure, until the client goes away. */
async function sendEndless(response: ServerResponse, bytes: number): Promise<void> {
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.write('{"success":true,"data":{"items":[{"_id":"686885a25f3e9d1c2b1a2bff","description":"');
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let closed = false;
  response.once('close', () => (closed = true));
  for (let written = 0; written < bytes && !closed; written += chunk.length) {
    if (!response.write(chunk)) await once(response, 'drain');
  }
  if (!closed) response.end('"}],"total":1,"page":1,"limit":1}}');
}

/** A page's JSON with the first item's description holding 0xFF, a byte UTF-8 never has. */
function notUtf8(body: unknown): Buffer {
  const marker = 'NOT-UTF8-MARKER';
  const data = body as { data: { items: Record<string, unknown>[] } };
  const first = data.data.items[0];
  if (first) data.data.items[0] = { ...first, description: marker };
  const [before, after] = JSON.stringify(body).split(marker);
  return Buffer.concat([Buffer.from(before!), Buffer.from([0xff, 0xfe]), Buffer.from(after ?? '')]);
}

async function bodyOf(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

export async function startFakeLegacyBackend(options: FakeBackendOptions): Promise<FakeLegacyBackend> {
  const token = 'old-backend-token-1';
  const account = options.account ?? { email: 'ops@example.com', password: 'correct horse' };
  const bad = options.misbehaviour;
  let held: { page: number; asked: () => void; gate: Promise<void>; open: () => void } | undefined;
  const backend: FakeLegacyBackend = {
    url: '',
    token,
    requests: [],
    documents: options.documents,
    holdPage: (page) =>
      new Promise<void>((asked) => {
        let open = (): void => undefined;
        const gate = new Promise<void>((resolve) => (open = resolve));
        held = { page, asked, gate, open };
      }),
    release: () => held?.open(),
    stop: async () => undefined,
  };
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://fake');
      backend.requests.push(`${request.method} ${url.pathname}${url.search}`);
      if (request.method === 'POST' && url.pathname === '/api/auth/login') {
        const body = (await bodyOf(request)) as { email?: string; password?: string };
        if (body.email === account.email && body.password === account.password)
          return send(response, 200, { success: true, data: { token, user: { email: account.email, role: 'admin' } } });
        return send(response, 401, { success: false, message: 'Invalid credentials' });
      }
      if (request.method === 'GET' && url.pathname === '/api/assets') {
        if (request.headers.authorization !== `Bearer ${token}`) return send(response, 401, { success: false, message: 'Unauthorized' });
        const page = Number(url.searchParams.get('page') ?? '1');
        const limit = Math.min(Number(url.searchParams.get('limit') ?? '10'), options.maxLimit ?? Infinity);
        if (held?.page === page) {
          held.asked();
          await held.gate;
        }
        if (bad?.kind === 'huge-page' && page >= bad.page) return sendEndless(response, bad.bytes);
        if (bad?.kind === 'redirect' && page === bad.page) {
          response.writeHead(302, { Location: bad.location });
          return response.end();
        }
        const served = bad?.kind === 'repeat-page' && page >= bad.page ? bad.page - 1 : page;
        const items = bad?.kind === 'empty-page' && page >= bad.page ? [] : backend.documents.slice((served - 1) * limit, served * limit);
        const total = bad?.kind === 'lying-total' ? bad.total : backend.documents.length;
        const body = { success: true, data: { items, total, page, limit } };
        if (bad?.kind === 'not-utf8' && page === bad.page) {
          response.writeHead(200, { 'Content-Type': 'application/json' });
          return response.end(notUtf8(body));
        }
        return send(response, 200, body);
      }
      send(response, 404, { success: false, message: 'Not found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  backend.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  backend.stop = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    });
  return backend;
}
