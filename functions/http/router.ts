/**
 * The API's routes as data: method, path pattern, access and handler, plus the schemas the OpenAPI
 * document is generated from. Matching is by path segments; `:name` captures one segment.
 *
 * Most routes sit in lazy groups: the table knows their method and path up front (endpoints.ts,
 * enough to match, and to answer 404 and 405 without loading anything), and loads the group's
 * module, with its handlers, services and zod schemas, on the first request that matches one of
 * them. A cold start then pays only for the routes its first request uses. Each endpoint is written
 * once, in endpoints.ts; access, summary and schemas stay beside its handler.
 */
import type { z } from 'zod';
import { MethodNotAllowedError, NotFoundError } from '../domain/errors.js';
import { lazyLoad } from '../platform/lazy-load.js';
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
  /**
   * Schemas the handler does not use, loaded only for the OpenAPI document, so that a route a new
   * instance often serves first (a read of one asset) does not load them before its answer.
   */
  docs?: () => Promise<Pick<Route, 'body' | 'query' | 'response' | 'rawResponse' | 'otherResponses'>>;
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

/** `GET /api/assets/:id`: what identifies a route in the table. */
export type RouteKey = `${Method} ${string}`;

function routeKeyOf(route: Pick<Route, 'method' | 'path'>): RouteKey {
  return `${route.method} ${route.path}`;
}

/** Routes whose module loads on the first request that matches one of them. */
export interface LazyRoutes {
  /** Exactly the routes `load` gives, as `METHOD /path`; checked when they load. */
  readonly keys: readonly RouteKey[];
  load(): Promise<readonly Route[]>;
}

interface TableEntry {
  method: string;
  path: string;
  resolve: () => Promise<Route>;
}

/** A lazy group's loader: imports once (again after a failure), and checks the group is what its keys said. */
function groupLoader(group: LazyRoutes): () => Promise<ReadonlyMap<RouteKey, Route>> {
  return lazyLoad(async () => {
    const routes = new Map((await group.load()).map((route) => [routeKeyOf(route), route]));
    const declared = [...group.keys].sort().join(', ');
    const loaded = [...routes.keys()].sort().join(', ');
    // A programming error (a route added to a module but not to its keys, or the reverse), found by
    // any test that loads the group, the OpenAPI document's included.
    if (declared !== loaded) throw new Error(`lazy routes declared [${declared}] but their module gave [${loaded}]`);
    return routes;
  });
}

export class Router {
  /** In the order given (the OpenAPI document's order). */
  private readonly declared: TableEntry[] = [];
  /** The same, in matching order. */
  private readonly table: TableEntry[];

  constructor(sources: readonly (Route | LazyRoutes)[]) {
    for (const source of sources) {
      if ('keys' in source) {
        const load = groupLoader(source);
        for (const key of source.keys) {
          const [method, path] = key.split(' ') as [Method, string];
          this.declared.push({ method, path, resolve: async () => (await load()).get(key)! });
        }
      } else {
        const route = source;
        this.declared.push({ method: route.method, path: route.path, resolve: async () => route });
      }
    }
    // Literal segments win over parameters: /api/assets/search is not /api/assets/:id.
    this.table = [...this.declared].sort((a, b) => a.path.split(':').length - b.path.split(':').length);
  }

  async match(method: string, path: string): Promise<RouteMatch> {
    const allowed: string[] = [];
    for (const entry of this.table) {
      const params = matchPath(entry.path, path);
      if (!params) continue;
      if (entry.method === method) return { route: await entry.resolve(), params };
      allowed.push(entry.method);
    }
    if (allowed.length > 0) throw new MethodNotAllowedError(`${method} is not allowed on ${path}`, [...new Set(allowed)]);
    throw new NotFoundError(`No route for ${method} ${path}`);
  }

  /** Every route, each lazy group loaded and its documentation schemas with it: for the OpenAPI document. */
  async routes(): Promise<Route[]> {
    return Promise.all(
      this.declared.map(async (entry) => {
        const route = await entry.resolve();
        return route.docs ? { ...route, ...(await route.docs()) } : route;
      }),
    );
  }
}
