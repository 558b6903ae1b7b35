/**
 * A stand-in for the old NestJS backend on loopback, for the importer's API source: `POST
 * /api/auth/login {email, password}` answers `data.token`, and `GET /api/assets?page=&limit=` (with
 * that bearer token, else 401) answers `{ success, data: { items, total, page, limit } }` from the
 * documents given, as the old backend served them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeLegacyBackend {
  /** The API base, `http://127.0.0.1:<port>/api`. */
  url: string;
  token: string;
  /** Every request as `METHOD path?query`. */
  requests: string[];
  /** Replaced by tests to change what the backend holds. */
  documents: Record<string, unknown>[];
  stop(): Promise<void>;
}

export interface FakeBackendOptions {
  documents: Record<string, unknown>[];
  account?: { email: string; password: string };
  /** The most the backend serves per page, whatever is asked. */
  maxLimit?: number;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function bodyOf(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

export async function startFakeLegacyBackend(options: FakeBackendOptions): Promise<FakeLegacyBackend> {
  const token = 'old-backend-token-1';
  const account = options.account ?? { email: 'ops@example.com', password: 'correct horse' };
  const backend: FakeLegacyBackend = { url: '', token, requests: [], documents: options.documents, stop: async () => undefined };
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
        const items = backend.documents.slice((page - 1) * limit, page * limit);
        return send(response, 200, { success: true, data: { items, total: backend.documents.length, page, limit } });
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
