/**
 * If-Match on writes: the write goes ahead only when the asset is still what the client read, in
 * whichever album-art shape it read it (a flag flip changes the bytes, not the asset). The check
 * runs inside the write's transaction (a CurrentAssetCheck).
 */
import type { AlbumArtDisplay, AlbumArtShape } from '../domain/album-art-view.js';
import { etagOf, toAssetView } from '../domain/asset-view.js';
import { PreconditionFailedError } from '../domain/errors.js';
import type { StoredAsset } from '../domain/stored-asset.js';
import type { ApiRequest } from './http-types.js';

const ALBUM_ART_SHAPES: readonly AlbumArtShape[] = ['url', 'object'];

export function ifMatchCheck(request: ApiRequest, display: AlbumArtDisplay): (current: StoredAsset) => void {
  const header = request.headers['if-match'];
  return (current) => {
    if (header === undefined || header.trim() === '*') return;
    const accepted = header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    if (!ALBUM_ART_SHAPES.some((shape) => accepted.includes(etagOf(toAssetView(current, { ...display, shape }))))) throw new PreconditionFailedError();
  };
}
