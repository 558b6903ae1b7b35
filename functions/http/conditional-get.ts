/**
 * Conditional GETs: a client that sends the ETag it holds in If-None-Match gets 304 and no body when
 * the answer has not changed since (RFC 9110, 13.1.2: weak comparison, `*` matches any answer).
 */
import type { ApiRequest, RouteResult } from './http-types.js';

function opaque(tag: string): string {
  return tag.trim().replace(/^W\//, '');
}

export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = header.split(',').map(opaque);
  return tags.includes('*') || tags.includes(opaque(etag));
}

/** 304 with the answer's headers when the client holds this ETag, else the answer. */
export function unlessNotModified(request: ApiRequest, etag: string, result: RouteResult): RouteResult {
  return matchesIfNoneMatch(request.headers['if-none-match'], etag) ? { status: 304, headers: result.headers ?? {}, empty: true } : result;
}

/**
 * The client asks for an answer not served from any cache (`Cache-Control: no-cache`, `no-store` or
 * `max-age=0`, or `Pragma: no-cache`): the web frontend's refresh sends these.
 */
export function wantsFreshAnswer(request: ApiRequest): boolean {
  const cacheControl = String(request.headers['cache-control'] ?? '').toLowerCase();
  const pragma = String(request.headers['pragma'] ?? '').toLowerCase();
  return /(?:^|,)\s*(?:no-cache|no-store|max-age\s*=\s*0)\s*(?:,|$)/.test(cacheControl) || /(?:^|,)\s*no-cache\s*(?:,|$)/.test(pragma);
}
