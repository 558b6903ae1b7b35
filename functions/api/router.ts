/**
 * The API's routes as data: method, path pattern, access and handler, plus the schemas the OpenAPI
 * document is generated from. Matching is by path segments; `:name` captures one segment.
 */
import type { z } from 'zod';
import { MethodNotAllowedError, NotFoundError } from '../domain/errors.js';
import type { Access } from './auth.js';
import type { RouteContext, RouteResult } from './http-types.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  method: Method;
  path: string;
  access: Access;
  summary: string;
  handler: (context: RouteContext) => Promise<RouteResult>;
  /** For the OpenAPI document: request body, query and response data schemas. */
  body?: z.ZodType;
  bodyMediaTypes?: string[];
  query?: z.ZodType;
  response?: z.ZodType;
  successStatus?: number;
  /**
   * The whole success body when it is not the envelope: the web frontend reads some answers raw
   * (taxonomy sync, health). Where one path must serve both, the raw shape wins and this says so.
   */
  rawResponse?: z.ZodType;
  /** A success body that is not the JSON envelope (the status page's HTML). */
  responseMediaType?: string;
  errors?: number[];
  /** Statuses answered with a success envelope of another schema (readiness's 503 carries its report). */
  otherResponses?: Record<number, { description: string; schema: z.ZodType }>;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const expected = pattern.split('/').filter(Boolean);
  const actual = path.split('/').filter(Boolean);
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < expected.length; index++) {
    const part = expected[index]!;
    const value = actual[index]!;
    if (part.startsWith(':')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(value);
      } catch {
        return undefined;
      }
      params[part.slice(1)] = decoded;
    } else if (part !== value) {
      return undefined;
    }
  }
  return params;
}

export class Router {
  constructor(readonly routes: readonly Route[]) {}

  match(method: string, path: string): RouteMatch {
    const allowed: string[] = [];
    // Literal segments win over parameters: /api/assets/search is not /api/assets/:id.
    const candidates = [...this.routes].sort((a, b) => a.path.split(':').length - b.path.split(':').length);
    for (const route of candidates) {
      const params = matchPath(route.path, path);
      if (!params) continue;
      if (route.method === method) return { route, params };
      allowed.push(route.method);
    }
    if (allowed.length > 0) throw new MethodNotAllowedError(`${method} is not allowed on ${path}`, [...new Set(allowed)]);
    throw new NotFoundError(`No route for ${method} ${path}`);
  }
}
