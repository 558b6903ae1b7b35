/**
 * Lazy route groups (issue 16's cold start): a group's module loads on the first request that
 * matches one of its routes, never for 404s and 405s, once, again after a failed load, and a group
 * whose module does not give exactly its declared routes is refused.
 */
import { expect } from 'chai';
import { z } from 'zod';
import { MethodNotAllowedError, NotFoundError } from '../../functions/domain/errors.js';
import { Router, type LazyRoutes, type Route } from '../../functions/api/router.js';

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
});
