/**
 * Reads of one asset, by id, HFN or MFA: a route group of its own, with only the lookup, the view
 * and the view (the asset schema loads only for the OpenAPI document), because `GET /api/assets/:id` is what a new instance is most often asked
 * first (issue 16: a cold start pays for the routes its first request uses).
 */
import { etagOf, toAssetView } from '../../domain/asset-view.js';
import type { StoredAsset } from '../../domain/stored-asset.js';
import type { AssetLookup } from '../asset-lookup.js';
import type { RouteResult } from '../http-types.js';
import type { Route } from '../router.js';

/** An asset as the client reads it, with its ETag (its version for If-Match). */
export function assetResult(asset: StoredAsset, status = 200): RouteResult {
  const view = toAssetView(asset);
  return { status, data: view, headers: { ETag: etagOf(view) } };
}

/** The asset schema: documentation only, the handlers send what the view makes. */
const assetDocs = async () => ({ response: (await import('../../domain/schemas/asset.js')).assetSchema });

export function assetReadRoutes(lookup: AssetLookup): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/assets/nna/:address',
      access: 'read',
      summary: 'Get an asset by HFN (S.POP.BAS.001) or MFA (2.001.001.001), composites included',
      docs: assetDocs,
      errors: [400, 404],
      handler: async ({ params }) => assetResult(await lookup.getByAddress(params['address']!)),
    },
    {
      method: 'GET',
      path: '/api/assets/:id',
      access: 'read',
      summary: 'Get an asset by id, HFN or MFA; the ETag header is its version for If-Match',
      docs: assetDocs,
      errors: [304, 404],
      handler: async ({ request, params }) => {
        const result = assetResult(await lookup.get(await lookup.idOf(params['id']!)));
        const ifNoneMatch = request.headers['if-none-match'];
        if (
          ifNoneMatch &&
          ifNoneMatch
            .split(',')
            .map((tag) => tag.trim())
            .includes(result.headers!['ETag']!)
        ) {
          return { status: 304, headers: result.headers!, empty: true };
        }
        return result;
      },
    },
  ];
}
