/** `GET /api` and `GET /`: links to the main resources. */
import type { Route } from '../router.js';

export const indexGroup = async (): Promise<readonly Route[]> => (await import('../routes/index-routes.js')).indexRoutes();
