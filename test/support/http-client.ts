/** Small HTTP helpers for the tests: JSON in, status, headers and parsed JSON out. */
import http from 'node:http';
export interface ApiReply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface Envelope {
  success: boolean;
  data?: unknown;
  error?: { code: string; message: string; details: Array<{ path: string; issue: string }> };
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; body?: RequestInit['body']; headers?: Record<string, string> } = {},
): Promise<ApiReply<Envelope & Record<string, unknown>>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['Authorization'] = options.token;
  let body = options.body;
  if (options.json !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (an empty 304, say): the tests read `text` instead.
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed as Envelope & Record<string, unknown>, text };
}

/** The asset JSON in a success envelope. */
export function dataOf<T = Record<string, unknown>>(reply: ApiReply<Envelope>): T {
  if (!reply.body?.success) throw new Error(`expected success, got ${reply.status}: ${reply.text}`);
  return reply.body.data as T;
}

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as it came over the wire (still compressed when Content-Encoding says so). */
  body: Buffer;
}

/** A GET whose body is left as sent (fetch would decompress it and hide the coding). */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}
