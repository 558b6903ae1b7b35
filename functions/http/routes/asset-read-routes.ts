/**
 * Reads of one asset, by id, HFN or MFA: a route group of its own, with only the lookup and the view
 * (the asset schema loads only for the OpenAPI document), because `GET /api/assets/:id` is what a new
 * instance is most often asked first, and a cold start pays for the routes its first request uses.
 */
import type { AlbumArtDisplay } from '../../domain/album-art-view.js';
import { etagOf, toAssetView } from '../../domain/asset-view.js';
import type { StoredAsset } from '../../domain/stored-asset.js';
import type { AssetLookup } from '../../assets/asset-lookup.js';
import { unlessNotModified } from '../conditional-get.js';
import type { RouteResult } from '../http-types.js';
import type { Route } from '../router.js';
import { ASSET_READS } from '../endpoints.js';

/** The album-art shape responses use now (the ALBUM_ART_AS_URL flag). */
export type AlbumArtShapeSource = () => Promise<AlbumArtDisplay>;

/** An asset as the client reads it, with its ETag (its version for If-Match). */
export function assetResult(asset: StoredAsset, albumArtShape: AlbumArtDisplay, status = 200): RouteResult {
  const view = toAssetView(asset, albumArtShape);
  return { status, data: view, headers: { ETag: etagOf(view) } };
}

/** The asset schema: documentation only, the handlers send what the view makes. */
const assetDocs = async () => ({ response: (await import('../../domain/schemas/asset.js')).assetSchema });

export function assetReadRoutes(lookup: AssetLookup, albumArtShape: AlbumArtShapeSource): Route[] {
  return [
    {
      ...ASSET_READS.byAddress,
      access: 'read',
      summary: 'Get an asset by HFN (S.POP.BAS.001) or MFA (2.001.001.001), composites included',
      docs: assetDocs,
      errors: [400, 404],
      handler: async ({ params }) => {
        const [asset, shape] = await Promise.all([lookup.getByAddress(params['address']!), albumArtShape()]);
        return assetResult(asset, shape);
      },
    },
    {
      ...ASSET_READS.byRef,
      access: 'read',
      summary: 'Get an asset by id, HFN or MFA; the ETag header is its version for If-Match',
      docs: assetDocs,
      errors: [304, 404],
      handler: async ({ request, params }) => {
        // The flag is read beside the document (its first read too), not after it.
        const [asset, shape] = await Promise.all([lookup.idOf(params['id']!).then((id) => lookup.get(id)), albumArtShape()]);
        const result = assetResult(asset, shape);
        return unlessNotModified(request, result.headers!['ETag']!, result);
      },
    },
  ];
}
