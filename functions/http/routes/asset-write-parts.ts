/**
 * What the routes that write assets share: If-Match, the JSON body limit, the answer with the
 * asset in the album-art shape the flags name, and the errors any of them may answer.
 */
import type { AlbumArtDisplay, AlbumArtShape } from '../../domain/album-art-view.js';
import { etagOf, toAssetView } from '../../domain/asset-view.js';
import { PreconditionFailedError } from '../../domain/errors.js';
import type { StoredAsset } from '../../domain/stored-asset.js';
import { ASSET_JSON_BODY_BYTES, cappedLimit } from '../body-limits.js';
import type { ApiRequest, RouteResult } from '../http-types.js';
import type { BodyOptions } from '../request-body.js';
import { assetResult, type AlbumArtShapeSource } from './asset-read-routes.js';

const ALBUM_ART_SHAPES: readonly AlbumArtShape[] = ['url', 'object'];

/** Bad input, no or wrong credentials, no such asset, a stale If-Match, a body too large or of another type. */
export const ASSET_WRITE_ERRORS: readonly number[] = [400, 401, 403, 404, 412, 413, 415];

/**
 * If-Match: the write goes ahead only when the asset is still what the client read, in whichever
 * album-art shape it read it (a flag flip changes the bytes, not the asset). The check runs inside
 * the write's transaction.
 */
export function ifMatchCheck(request: ApiRequest, display: AlbumArtDisplay): (current: StoredAsset) => void {
  const header = request.headers['if-match'];
  return (current) => {
    if (header === undefined || header.trim() === '*') return;
    const accepted = header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    if (!ALBUM_ART_SHAPES.some((shape) => accepted.includes(etagOf(toAssetView(current, { ...display, shape }))))) throw new PreconditionFailedError();
  };
}

/** A JSON body of an asset write, within the deployment's request limit. */
export function assetJsonBody(maxRequestBytes: number): BodyOptions {
  return { maxBytes: cappedLimit(ASSET_JSON_BODY_BYTES, maxRequestBytes) };
}

/** The answer with a written asset, in the album-art shape the flags name now. */
export function assetAnswer(albumArtShape: AlbumArtShapeSource): (asset: StoredAsset, status?: number) => Promise<RouteResult> {
  return async (asset, status) => assetResult(asset, await albumArtShape(), status);
}
