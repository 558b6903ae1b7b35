/** `GET /api` and `GET /`: links to the main resources. */
import { INDEX } from '../endpoints.js';
import type { RouteGroup } from './route-group.js';

export const indexGroup: RouteGroup = {
  endpoints: INDEX,
  load: async () => (await import('../routes/index-routes.js')).indexRoutes(),
};
