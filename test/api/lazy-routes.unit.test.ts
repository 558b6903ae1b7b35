/**
 * Lazy route groups (the cold start): a group's module loads on the first request that matches one
 * of its routes, never for 404s and 405s, once, again after a failed load, and a group whose module
 * does not give exactly its declared routes is refused. Each endpoint is written once (endpoints.ts)
 * and the API's groups are derived from it.
 */
import { expect } from 'chai';
import { z } from 'zod';
import { MethodNotAllowedError, NotFoundError } from '../../functions/domain/errors.js';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ENDPOINTS from '../../functions/http/endpoints.js';
import { ROUTE_GROUPS } from '../../functions/http/route-groups/route-groups.js';
import { Router, type LazyRoutes, type Route } from '../../functions/http/router.js';
import { PROJECT_ROOT } from '../support/test-environment.js';

function route(method: Route['method'], path: string): Route {
  return { method, path, access: 'public', summary: path, handler: async () => ({ data: path }) };
}

function countingGroup(routes: Route[], keys = routes.map((r) => `${r.method} ${r.path}` as const)): LazyRoutes & { loads: number } {
  const group = {
    loads: 0,
    keys,
    async load() {
      group.loads++;
      return routes;
    },
  };
  return group;
}

describe('lazy route groups', () => {
  it('loads a group only when a request matches one of its routes, and only once', async () => {
    const assets = countingGroup([route('GET', '/api/assets/:id'), route('PUT', '/api/assets/:id')]);
    const router = new Router([route('GET', '/api/health'), assets]);
    await router.match('GET', '/api/health');
    expect(assets.loads).to.equal(0);
    const { route: matched, params } = await router.match('GET', '/api/assets/abc');
    expect([matched.path, params['id'], assets.loads]).to.deep.equal(['/api/assets/:id', 'abc', 1]);
    await router.match('PUT', '/api/assets/abc');
    expect(assets.loads).to.equal(1);
  });

  it('answers 404 and 405 from the declared keys without loading anything', async () => {
    const assets = countingGroup([route('GET', '/api/assets/:id')]);
    const router = new Router([assets]);
    const missing = await router.match('GET', '/api/nothing').catch((error: unknown) => error);
    const wrongMethod = await router.match('DELETE', '/api/assets/abc').catch((error: unknown) => error);
    expect(missing).to.be.instanceOf(NotFoundError);
    expect(wrongMethod).to.be.instanceOf(MethodNotAllowedError);
    expect(assets.loads).to.equal(0);
  });

  it('keeps literal paths ahead of parameters across groups', async () => {
    const byId = countingGroup([route('GET', '/api/assets/:id')]);
    const search = countingGroup([route('GET', '/api/assets/search')]);
    const { route: matched } = await new Router([byId, search]).match('GET', '/api/assets/search');
    expect([matched.path, byId.loads]).to.deep.equal(['/api/assets/search', 0]);
  });

  it('loads again after a failed load', async () => {
    let attempts = 0;
    const router = new Router([
      {
        keys: ['GET /api/flaky'],
        async load() {
          attempts++;
          if (attempts === 1) throw new Error('transient import failure');
          return [route('GET', '/api/flaky')];
        },
      },
    ]);
    const first = await router.match('GET', '/api/flaky').catch((error: unknown) => error);
    expect(first).to.be.instanceOf(Error);
    expect((await router.match('GET', '/api/flaky')).route.path).to.equal('/api/flaky');
  });

  it('refuses a group whose module gives other routes than its keys', async () => {
    const router = new Router([countingGroup([route('GET', '/api/a'), route('GET', '/api/b')], ['GET /api/a'])]);
    const error = await router.match('GET', '/api/a').catch((failure: unknown) => failure);
    expect(String(error)).to.match(/declared \[GET \/api\/a\] but their module gave \[GET \/api\/a, GET \/api\/b\]/);
  });

  it('gives every route, with its documentation schemas, for the OpenAPI document', async () => {
    const schema = z.object({ id: z.string() });
    const documented: Route = { ...route('GET', '/api/doc'), docs: async () => ({ response: schema }) };
    const router = new Router([route('GET', '/api/x'), countingGroup([documented])]);
    const routes = await router.routes();
    expect(routes.map((r) => r.path)).to.deep.equal(['/api/x', '/api/doc']);
    expect(routes[1]!.response).to.equal(schema);
    // Serving the route does not load its documentation.
    expect((await router.match('GET', '/api/doc')).route.response).to.equal(undefined);
  });

  it('writes each endpoint once: in endpoints.ts, every one in exactly one route group, no route module spelling a method or path', () => {
    const groups: Array<[string, ENDPOINTS.Endpoints]> = [];
    for (const [name, value] of Object.entries(ENDPOINTS)) if (typeof value === 'object') groups.push([name, value]);
    const keys = groups.flatMap(([, endpoints]) => ENDPOINTS.routeKeysOf(endpoints));
    expect(new Set(keys).size, 'an endpoint declared twice').to.equal(keys.length);
    // Every group but the OpenAPI document's own route is served by a route group, once.
    const grouped = ROUTE_GROUPS.map((group) => group.endpoints);
    expect(groups.filter(([name]) => name !== 'OPENAPI').map(([, endpoints]) => endpoints)).to.have.members(grouped);
    expect(new Set(grouped).size).to.equal(grouped.length);
    const routesDir = path.join(PROJECT_ROOT, 'functions/http/routes');
    for (const file of readdirSync(routesDir).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(path.join(routesDir, file), 'utf8');
      expect(source, file).not.to.match(/\bmethod:\s*['"]/);
      expect(source, file).not.to.match(/\bpath:\s*['"]\//);
    }
  });
});
