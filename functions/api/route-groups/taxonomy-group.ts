/** The taxonomy the frontend syncs, and HFN/MFA conversion: no I/O, the taxonomy is bundled. */
import { TAXONOMY } from '../endpoints.js';
import type { RouteGroup } from './route-group.js';

export const taxonomyGroup: RouteGroup = {
  endpoints: TAXONOMY,
  load: async ({ taxonomy }) => (await import('../routes/taxonomy-routes.js')).taxonomyRoutes(taxonomy),
};
