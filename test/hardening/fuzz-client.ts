/**
 * Sending fuzzed requests and judging their replies, for the suites of test/hardening/: no 5xx,
 * every 4xx in the error envelope, no stack trace.
 */
import http from 'node:http';
import type { FuzzRequest } from './request-arbitraries.js';

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** node:http rather than fetch: fetch refuses some of the malformed requests we want to send. */
export function send(baseUrl: string, request: FuzzRequest): Promise<RawReply> {
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
export const NODE_HEADER_LIMIT = 16 * 1024;

export function headerBytes(request: FuzzRequest): number {
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
