/** Deleting, restoring and purging assets, and their history and revert (the assets route group's second half). */
import type { AlbumArtDisplay } from '../../domain/album-art-view.js';
import { toAssetView } from '../../domain/asset-view.js';
import type { DeletedAsset } from '../../domain/ports/deleted-assets.js';
import {
  deleteAssetQuerySchema,
  deletedAssetPageSchema,
  deletedAssetsQuerySchema,
  deleteResultSchema,
  purgeExpiredQuerySchema,
  purgeExpiredResultSchema,
} from '../../domain/schemas/deletion.js';
import { assetSchema } from '../../domain/schemas/asset.js';
import { historyPageSchema, historyQuerySchema, revertRequestSchema } from '../../domain/schemas/history.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { AssetUseCases } from '../../assets/asset-use-cases.js';
import { ASSETS } from '../endpoints.js';
import { ASSET_WRITE_ERRORS, assetAnswer, assetJsonBody, ifMatchCheck } from './asset-write-parts.js';
import { readBody } from '../request-body.js';
import type { Route } from '../router.js';
import type { AlbumArtShapeSource } from './asset-read-routes.js';

export interface AssetLifecycleRouteDependencies {
  assets: Pick<AssetUseCases, 'lookup' | 'deletion' | 'history'>;
  maxRequestBytes: number;
  albumArtShape: AlbumArtShapeSource;
}

function deletedView(deleted: DeletedAsset, albumArtShape: AlbumArtDisplay) {
  const { asset, ...deletion } = deleted;
  return { id: asset.id, ...deletion, asset: toAssetView(asset, albumArtShape) };
}

export function assetLifecycleRoutes({ assets, maxRequestBytes, albumArtShape }: AssetLifecycleRouteDependencies): Route[] {
  const answer = assetAnswer(albumArtShape);
  const jsonWrite = assetJsonBody(maxRequestBytes);
  const errors = [...ASSET_WRITE_ERRORS];
  return [
    {
      ...ASSETS.remove,
      access: 'editor',
      summary: 'Delete an asset named by id, HFN or MFA (restorable by an admin until purgeAt); honours If-Match; 409 while composites name it',
      query: deleteAssetQuerySchema,
      response: deleteResultSchema,
      errors: [400, 401, 403, 404, 409, 412],
      handler: async ({ request, params, principal }) => {
        const query = parseOrThrow(deleteAssetQuerySchema, request.query);
        const id = await assets.lookup.idOf(params['id']!);
        const outcome = await assets.deletion.delete(id, {
          check: ifMatchCheck(request, await albumArtShape()),
          actor: principal!.email,
          isAdmin: principal!.roles.includes('admin'),
          reason: query.reason,
          force: query.force ?? false,
          purge: query.purge ?? false,
        });
        return { data: { id, deleted: true, ...outcome } };
      },
    },
    {
      ...ASSETS.deleted,
      access: 'admin',
      summary: 'Deleted assets that can still be restored, most recently deleted first',
      query: deletedAssetsQuerySchema,
      response: deletedAssetPageSchema,
      errors: [400, 401, 403, 404],
      handler: async ({ request }) => {
        const query = parseOrThrow(deletedAssetsQuerySchema, request.query);
        const [page, shape] = await Promise.all([assets.deletion.listDeleted(query.limit, query.cursor), albumArtShape()]);
        return { data: { items: page.items.map((deleted) => deletedView(deleted, shape)), ...(page.next ? { nextCursor: page.next } : {}) } };
      },
    },
    {
      ...ASSETS.purgeExpired,
      access: 'admin',
      summary: 'Purge deleted assets past their retention, with their files and unshared album art (the scheduled sweep)',
      query: purgeExpiredQuerySchema,
      response: purgeExpiredResultSchema,
      errors: [400, 401, 403],
      handler: async ({ request }) => {
        const query = parseOrThrow(purgeExpiredQuerySchema, request.query);
        return { data: { purged: await assets.deletion.purgeExpired(query.limit) } };
      },
    },
    {
      ...ASSETS.restore,
      access: 'admin',
      summary: 'Restore a deleted asset exactly as it was (within the retention)',
      response: assetSchema,
      errors: [401, 403, 404, 409],
      handler: async ({ params, principal }) => answer(await assets.deletion.restore(params['id']!, principal!.email)),
    },
    {
      ...ASSETS.history,
      access: 'editor',
      summary: "The asset's history, newest first: who changed which fields when, and the asset before",
      query: historyQuerySchema,
      response: historyPageSchema,
      errors: [400, 401, 403, 404],
      handler: async ({ request, params }) => ({ data: await assets.history.page(params['id']!, parseOrThrow(historyQuerySchema, request.query)) }),
    },
    {
      ...ASSETS.revert,
      access: 'admin',
      summary: 'Bring back the fields of a history version through the ordinary update; honours If-Match',
      body: revertRequestSchema,
      response: assetSchema,
      errors: [...errors, 409],
      handler: async ({ request, params, principal }) => {
        const { fields } = await readBody(request, jsonWrite);
        const { version } = parseOrThrow(revertRequestSchema, fields);
        return answer(await assets.history.revert(params['id']!, version, ifMatchCheck(request, await albumArtShape()), principal!.email));
      },
    },
  ];
}
