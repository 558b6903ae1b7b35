/**
 * A request that announces a large body and sends only its first bytes, for the answers that must
 * come before a body is read (413 by declared length, 401 before an upload): an API that waits for
 * the whole body never answers it, and the helper says so after `waitMs` (15 s: a liveness bound,
 * not a speed goal).
 */
import http from 'node:http';

export interface PartialReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface PartialRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** What Content-Length says. */
  declaredBytes: number;
  /** What is actually sent (the rest never is). */
  sent: Buffer;
  waitMs?: number;
}

export function partialRequest(baseUrl: string, request: PartialRequest): Promise<PartialReply> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = http.request({
      host: url.hostname,
      port: url.port,
      method: request.method,
      path: request.path,
      headers: { ...request.headers, 'content-length': String(request.declaredBytes) },
      agent: false,
    });
    const timer = setTimeout(() => {
      outgoing.destroy();
      reject(new Error(`no answer within ${request.waitMs ?? 15_000} ms to ${request.sent.length} of ${request.declaredBytes} declared bytes`));
    }, request.waitMs ?? 15_000);
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        clearTimeout(timer);
        outgoing.destroy();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    outgoing.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.write(request.sent);
  });
}

/** A body sent in chunks (Transfer-Encoding: chunked, no Content-Length), read to its answer. */
export function chunkedRequest(
  baseUrl: string,
  request: { method: string; path: string; headers: Record<string, string>; chunks: Buffer[] },
): Promise<PartialReply> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = http.request({ host: url.hostname, port: url.port, method: request.method, path: request.path, headers: request.headers, agent: false });
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    // The server may answer and stop reading before the last chunk: that is not a failure here.
    outgoing.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    for (const chunk of request.chunks) outgoing.write(chunk);
    outgoing.end();
  });
}
