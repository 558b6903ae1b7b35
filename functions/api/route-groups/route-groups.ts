/**
 * The API's route groups, in the route table's order (the OpenAPI document's too). Reads of one
 * asset come before the other asset routes, so `/api/assets/nna/:address` wins over
 * `/api/assets/:id/history` (the table tries literal segments first, then this order).
 */
import type { RouteGroup } from './route-group.js';
import { adminGroup } from './admin-group.js';
import { assetReadsGroup } from './asset-reads-group.js';
import { assetsGroup } from './assets-group.js';
import { authGroup } from './auth-group.js';
import { healthGroup } from './health-group.js';
import { indexGroup } from './index-group.js';
import { taxonomyGroup } from './taxonomy-group.js';

export const ROUTE_GROUPS: readonly RouteGroup[] = [healthGroup, taxonomyGroup, assetReadsGroup, assetsGroup, adminGroup, indexGroup, authGroup];
