/** The taxonomy the frontend syncs, and HFN/MFA conversion: no I/O, the taxonomy is bundled. */
import type { ApiContext } from '../api-context.js';
import type { Route } from '../router.js';

export const taxonomyGroup = async ({ taxonomy }: ApiContext): Promise<readonly Route[]> =>
  (await import('../routes/taxonomy-routes.js')).taxonomyRoutes(taxonomy);
