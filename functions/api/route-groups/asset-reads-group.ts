/** Reads of one asset by id, HFN or MFA: only the lookup and the view load with them. */
import { AssetLookup } from '../asset-lookup.js';
import { ASSET_READS } from '../endpoints.js';
import type { RouteGroup } from './route-group.js';

export const assetReadsGroup: RouteGroup = {
  endpoints: ASSET_READS,
  load: async ({ repository, taxonomy, albumArtShape }) =>
    (await import('../routes/asset-read-routes.js')).assetReadRoutes(new AssetLookup(repository, taxonomy), albumArtShape),
};
