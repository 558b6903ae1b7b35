/** Reads of one asset by id, HFN or MFA: only the lookup and the view load with them. */
import { AssetLookup } from '../../assets/asset-lookup.js';
import type { ApiContext } from '../api-context.js';
import type { Route } from '../router.js';

export const assetReadsGroup = async ({ assets, taxonomy, albumArtShape }: ApiContext): Promise<readonly Route[]> =>
  (await import('../routes/asset-read-routes.js')).assetReadRoutes(new AssetLookup(assets.queries, taxonomy), albumArtShape);
