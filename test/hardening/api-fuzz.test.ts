/**
 * Seeded, repeatable fuzzing of the API through the real functions-framework server. Goal: no 5xx,
 * no crash, every 4xx in the error envelope. `npm test` runs FUZZ_RUNS (default 1,500);
 * `npm run test:hard` runs 10,000. A failure prints the seed and the shrunk request.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import http from 'node:http';
import { useApi } from '../support/api-server.js';
import { starPayload } from '../support/asset-fixtures.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';
import { fuzzRequest, type FuzzRequest } from './request-arbitraries.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1500);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261125);

interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** node:http rather than fetch: fetch refuses some of the malformed requests we want to send. */
function send(baseUrl: string, request: FuzzRequest): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const url = new URL(baseUrl);
    // Framed with Content-Length, as Google's front end forwards requests: the fuzzing aims at the
    // function, not at Node's HTTP parser (which closes chunked DELETE bodies with a bare 400).
    const headers = request.body === undefined ? request.headers : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) };
    const outgoing = http.request(
      { host: url.hostname, port: url.port, method: request.method, path: request.path, headers, timeout: 20_000, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('request timed out')));
    outgoing.on('error', reject);
    if (request.body !== undefined) outgoing.write(request.body);
    outgoing.end();
  });
}

/** Node's HTTP parser refuses request lines and headers over 16 KiB itself, before any function code. */
const NODE_HEADER_LIMIT = 16 * 1024;

function headerBytes(request: FuzzRequest): number {
  return Buffer.byteLength(request.path) + Object.entries(request.headers).reduce((sum, [name, value]) => sum + name.length + Buffer.byteLength(value) + 4, 0);
}

/** What every reply must satisfy; returns a description of the first violation. */
export function violation(request: FuzzRequest, reply: RawReply): string | undefined {
  if (reply.status === 431 && headerBytes(request) > NODE_HEADER_LIMIT - 512) return undefined;
  if (reply.status >= 500) return `status ${reply.status}: ${reply.body.slice(0, 300)}`;
  if (reply.status >= 400 && request.method !== 'HEAD') {
    let parsed: { success?: unknown; error?: { code?: unknown; message?: unknown; details?: unknown } };
    try {
      parsed = JSON.parse(reply.body) as typeof parsed;
    } catch {
      return `status ${reply.status} without a JSON body: ${reply.body.slice(0, 200)}`;
    }
    const error = parsed.error;
    if (parsed.success !== false || typeof error?.code !== 'string' || typeof error.message !== 'string' || !Array.isArray(error.details)) {
      return `status ${reply.status} outside the error envelope: ${reply.body.slice(0, 200)}`;
    }
    if (/\bat \S+ \(|node:internal|\/dist\//.test(reply.body)) return `a stack trace leaked: ${reply.body.slice(0, 200)}`;
  }
  return undefined;
}

describe('API fuzzing', function () {
  this.timeout(RUNS * 200 + 60_000);
  const api = useApi();

  it(`answers ${RUNS} generated requests (seed ${SEED}) without a 5xx, a crash or an error outside the envelope`, async () => {
    // A few real assets so that ids, addresses and If-Match meet existing documents too.
    for (let index = 0; index < 3; index++) dataOf(await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() }));
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (request) => {
        let reply: RawReply;
        try {
          reply = await send(api.url, request);
        } catch (error) {
          // Over the header limit, Node's parser may close the socket while the body is still being
          // written: the client sees a reset instead of the 431. Anything else is a real failure.
          const code = (error as NodeJS.ErrnoException).code;
          if ((code === 'ECONNRESET' || code === 'EPIPE') && headerBytes(request) > NODE_HEADER_LIMIT - 512) return;
          throw error;
        }
        const problem = violation(request, reply);
        if (problem) {
          const shown = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…(${text.length} chars)` : text);
          throw new Error(
            `${request.method} ${shown(request.path)} ${shown(JSON.stringify(request.headers))} ${shown(String(request.body ?? ''))} -> ${problem}`,
          );
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: false },
    );
    expect(api.running(), 'the server still answers').to.equal(true);
    expect((await call(api.url, 'GET', '/api/health')).status).to.equal(200);
  });
});
