/**
 * The API's route groups, in the route table's order (the OpenAPI document's too): each group's
 * endpoints, known at start, and its wiring module (`*-group.ts`), imported with the group on the
 * first request that matches one of its endpoints, so a cold start loads this table and
 * endpoints.ts, not the groups' wiring. Reads of one asset come before the other asset routes, so
 * `/api/assets/nna/:address` wins over `/api/assets/:id/history` (the table tries literal segments
 * first, then this order).
 */
import { ADMIN, ASSET_READS, ASSETS, AUTH, HEALTH, INDEX, TAXONOMY } from '../endpoints.js';
import type { RouteGroup } from './route-group.js';

export const ROUTE_GROUPS: readonly RouteGroup[] = [
  { endpoints: HEALTH, load: async (context) => (await import('./health-group.js')).healthGroup(context) },
  { endpoints: TAXONOMY, load: async (context) => (await import('./taxonomy-group.js')).taxonomyGroup(context) },
  { endpoints: ASSET_READS, load: async (context) => (await import('./asset-reads-group.js')).assetReadsGroup(context) },
  { endpoints: ASSETS, load: async (context) => (await import('./assets-group.js')).assetsGroup(context) },
  { endpoints: ADMIN, load: async (context) => (await import('./admin-group.js')).adminGroup(context) },
  { endpoints: INDEX, load: async () => (await import('./index-group.js')).indexGroup() },
  { endpoints: AUTH, load: async (context) => (await import('./auth-group.js')).authGroup(context) },
];
