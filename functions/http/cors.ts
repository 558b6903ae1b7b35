/**
 * CORS for browser clients. The web frontend sends every call with credentials
 * (`withCredentials: true`), which browsers accept only when the answer names its exact origin and
 * allows credentials: so an allowed origin is echoed, never `*` with credentials. `*` in the
 * allow-list serves any other origin without credentials (scripts, tools, public pages).
 */
import type { ApiRequest, ApiResponse } from './http-types.js';

const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Cache-Control', 'Pragma', 'X-Requested-At', 'If-Match', 'If-None-Match', 'Idempotency-Key'];
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const EXPOSED_HEADERS = 'ETag, Location, Retry-After, X-Request-Id';

export function applyCors(request: ApiRequest, response: ApiResponse, allowedOrigins: readonly string[]): void {
  // Caches must keep one answer per origin, since the allowed origin is echoed.
  response.setHeader('Vary', 'Origin');
  response.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  const origin = request.headers.origin;
  if (origin !== undefined && allowedOrigins.includes(origin)) {
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Access-Control-Allow-Credentials', 'true');
  } else if (allowedOrigins.includes('*')) {
    response.setHeader('Access-Control-Allow-Origin', '*');
  }
  if (request.method === 'OPTIONS') {
    response.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    response.setHeader('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS.join(', '));
    response.setHeader('Access-Control-Max-Age', '3600');
  }
}
