/**
 * The API's HTTP handler: CORS, routing, authorization, the success envelope, errors through the
 * one status table, and one access log line per request with its latency.
 */
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../domain/errors.js';
import { jsonProblemOf } from '../domain/json-inspection.js';
import type { Metrics } from '../domain/ports/metrics.js';
import { runWithLogContext, traceContextFromHeaders, type Logger } from '../platform/logger.js';
import { restoreBodyHeaders } from '../platform/request-bodies.js';
import { authorize, type AuthPolicy } from './auth.js';
import { applyCors } from './cors.js';
import { errorReply } from './error-response.js';
import type { ApiRequest, ApiResponse, RouteResult } from './http-types.js';
import { encodeBody, MIN_COMPRESSED_BYTES, negotiateCoding } from './response-encoding.js';
import type { Router } from './router.js';

export interface ApiHandlerDependencies {
  router: Router;
  auth: AuthPolicy;
  logger: Logger;
  projectId: string;
  /** Origins echoed with credentials; `*` serves other origins without them. */
  corsOrigins: readonly string[];
  /** api_requests, api_latency_ms and validation_errors, labelled with the route pattern. */
  metrics?: Metrics;
}

/** Requests that match no route share one label, so scanners probing paths cannot multiply series. */
const UNMATCHED_ROUTE = '(unmatched)';

const JSON_TYPE = 'application/json; charset=utf-8';

/** `text/html` becomes `text/html; charset=utf-8`, as Express's send made it. */
function withUtf8(contentType: string): string {
  return /;\s*charset=/i.test(contentType) ? contentType : `${contentType}; charset=utf-8`;
}

/**
 * Writes a handler's answer: JSON (`JSON.stringify` of the envelope, the bytes `res.json` sent) or
 * text, in the coding the client accepts best once the body is large enough to gain from it.
 */
async function writeResult(request: ApiRequest, response: ApiResponse, result: RouteResult): Promise<number> {
  const status = result.status ?? 200;
  for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, value);
  // Every answer but a preflight could come in another coding for another Accept-Encoding.
  if (request.method !== 'OPTIONS') response.vary('Accept-Encoding');
  if (result.empty) {
    response.status(status).end();
    return status;
  }
  const [bytes, contentType] = result.serialized
    ? [result.serialized.bytes, JSON_TYPE]
    : result.text
      ? [Buffer.from(result.text.body), withUtf8(result.text.contentType)]
      : [Buffer.from(JSON.stringify(result.raw ?? { success: true, data: result.data ?? null })), JSON_TYPE];
  const coding = bytes.length >= MIN_COMPRESSED_BYTES ? negotiateCoding(request.headers['accept-encoding']) : 'identity';
  const sent = coding === 'identity' ? bytes : await (result.serialized ? result.serialized.encoded(coding) : encodeBody(bytes, coding));
  if (coding !== 'identity') response.setHeader('Content-Encoding', coding);
  response.setHeader('Content-Type', contentType);
  response.setHeader('Content-Length', String(sent.length));
  response.status(status).end(sent);
  return status;
}

export function createApiHandler(deps: ApiHandlerDependencies): (request: ApiRequest, response: ApiResponse) => Promise<void> {
  return async (request, response) => {
    // The body is the route's to read, after authentication (functions-framework left it unread).
    restoreBodyHeaders(request);
    const requestId = randomUUID();
    const trace = traceContextFromHeaders(deps.projectId, request.headers);
    // Everything logged while the request runs (deep in adapters too) carries its trace and labels.
    await runWithLogContext({ function: 'api', requestId }, trace, () => handle(deps, request, response, deps.logger, requestId));
  };
}

async function handle(deps: ApiHandlerDependencies, request: ApiRequest, response: ApiResponse, logger: Logger, requestId: string): Promise<void> {
  const started = process.hrtime.bigint();
  response.setHeader('X-Request-Id', requestId);
  applyCors(request, response, deps.corsOrigins);
  let status: number;
  let routeLabel = UNMATCHED_ROUTE;
  let invalid = false;
  if (request.method === 'OPTIONS') {
    status = await writeResult(request, response, { status: 204, empty: true });
  } else {
    let result: RouteResult;
    try {
      const { route, params } = await deps.router.match(request.method, request.path);
      routeLabel = `${route.method} ${route.path}`;
      const principal = await authorize(request, route.access, deps.auth);
      // Query strings decode to well-formed text today (invalid UTF-8 becomes U+FFFD); checked all the
      // same, so that no route can receive a string Firestore would refuse.
      const problem = jsonProblemOf(request.query, { maxDepth: 4 });
      if (problem) throw new ValidationError([problem]);
      result = await route.handler({ request, params, principal, logger });
    } catch (error) {
      invalid = error instanceof ValidationError;
      const reply = errorReply(error, logger);
      result = { status: reply.status, headers: reply.headers, raw: reply.body };
    }
    try {
      status = await writeResult(request, response, result);
    } catch (error) {
      // The answer could not be serialized or encoded, so nothing was sent: answer the error instead.
      for (const name of Object.keys(result.headers ?? {})) response.removeHeader(name);
      const reply = errorReply(error, logger);
      status = await writeResult(request, response, { status: reply.status, headers: reply.headers, raw: reply.body });
    }
  }
  const latencySeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (request.method !== 'OPTIONS') {
    deps.metrics?.count('api_requests', { route: routeLabel, status: String(status) });
    deps.metrics?.observe('api_latency_ms', latencySeconds * 1000, { route: routeLabel });
    if (invalid) deps.metrics?.count('validation_errors', { route: routeLabel });
  }
  logger.info(`${request.method} ${request.path} ${status}`, {
    httpRequest: {
      requestMethod: request.method,
      requestUrl: request.originalUrl,
      status,
      latency: `${latencySeconds.toFixed(6)}s`,
      userAgent: request.headers['user-agent'],
      remoteIp: request.ip,
      requestSize: request.headers['content-length'] ?? '0',
    },
  });
}
