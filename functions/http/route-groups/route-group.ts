/**
 * A route group: its endpoints, known at start from endpoints.ts, and how it builds its routes (its
 * module, services and adapters, imported on the first request that matches one of them) from what
 * the API's groups share.
 */
import type { ApiContext } from '../api-context.js';
import { routeKeysOf, type Endpoints } from '../endpoints.js';
import type { LazyRoutes, Route } from '../router.js';

export interface RouteGroup {
  readonly endpoints: Endpoints;
  load(context: ApiContext): Promise<readonly Route[]>;
}

/** The group as the route table takes it: its keys up front, its routes on first use. */
export function lazyRoutesOf(group: RouteGroup, context: ApiContext): LazyRoutes {
  return { keys: routeKeysOf(group.endpoints), load: () => group.load(context) };
}
