import { z } from 'zod';
import { INDEX } from '../endpoints.js';
import type { Route } from '../router.js';

/** Where to go from the root: what a newcomer who opens the printed URL needs, as links. */
const LINKS = {
  assets: '/api/assets',
  search: '/api/assets/search?search=pop',
  byAddress: '/api/assets/nna/{hfn-or-mfa}',
  taxonomy: '/api/taxonomy/layers',
  health: '/api/health',
  readiness: '/api/health/ready',
  openapi: '/api/openapi.json',
  statusPage: '/admin',
} as const;

const apiIndexSchema = z
  .object({
    service: z.string(),
    links: z.record(z.string(), z.string()),
  })
  .meta({ id: 'ApiIndex' });

/** `GET /api` and `GET /`: a small JSON index of links, instead of a 404 at the first URL tried. */
export function indexRoutes(): Route[] {
  return [INDEX.api, INDEX.root].map((endpoint) => ({
    ...endpoint,
    access: 'public' as const,
    summary: 'An index of the API: links to its main resources and documents',
    response: apiIndexSchema,
    handler: async () => ({ data: { service: 'nna-registry-api', links: LINKS } }),
  }));
}
