/**
 * What listings of unchanged assets reuse from one answer to the next, in this instance: each asset's
 * view as bytes, kept by the asset's revision (the store's update time, so a write to the asset is a
 * new entry), and each page's compressed bodies, kept by the page's ETag (a hash of its bytes). The
 * web frontend's browse page asks for the same 1,000 assets again and again; without these, every
 * answer rebuilt 1,000 views, serialized and compressed them, about as long as reading them. Both are
 * bounded by bytes, the least recently used going first; an asset without a revision (a fake's) is
 * built each time.
 */
import { LRUCache } from 'lru-cache';
import type { AlbumArtDisplay } from '../domain/album-art-view.js';
import { toAssetView } from '../domain/asset-view.js';
import type { StoredAsset } from '../domain/stored-asset.js';
import { encodeBody, type ContentCoding } from './response-encoding.js';

/** About 40,000 views of the staging registry's median size: every asset of a registry ten times its size. */
const VIEW_BYTES_BUDGET = 32 * 1024 * 1024;
/** A compressed 1,000-item page is 30-60 KiB: some hundreds of pages. */
const ENCODED_BYTES_BUDGET = 16 * 1024 * 1024;

const views = new LRUCache<string, Buffer>({ maxSize: VIEW_BYTES_BUDGET, sizeCalculation: (bytes, key) => bytes.length + key.length });
const encodings = new LRUCache<string, Buffer>({ maxSize: ENCODED_BYTES_BUDGET, sizeCalculation: (bytes, key) => bytes.length + key.length });

/** A view depends on the asset and on how album art is shown (the flag's shape, the allowed hosts). */
const displayKeys = new WeakMap<AlbumArtDisplay, string>();
function displayKeyOf(display: AlbumArtDisplay): string {
  let key = displayKeys.get(display);
  if (key === undefined) {
    key = JSON.stringify([display.shape, display.allowedHosts]);
    displayKeys.set(display, key);
  }
  return key;
}

/** The asset's view as JSON bytes, what `JSON.stringify(toAssetView(asset, display))` gives. */
export function assetViewBytes(asset: StoredAsset, display: AlbumArtDisplay): Buffer {
  if (asset.revision === undefined) return Buffer.from(JSON.stringify(toAssetView(asset, display)));
  const key = `${displayKeyOf(display)} ${asset.id} ${asset.revision}`;
  let bytes = views.get(key);
  if (!bytes) {
    bytes = Buffer.from(JSON.stringify(toAssetView(asset, display)));
    views.set(key, bytes);
  }
  return bytes;
}

/**
 * A page's body in each coding, encoded once per page and kept across pages with the same ETag;
 * the requests that share one page (shared-listings.ts) share its encodings too.
 */
export function pageEncodings(body: Buffer, etag: string): (coding: ContentCoding) => Promise<Buffer> {
  const pending = new Map<ContentCoding, Promise<Buffer>>();
  return (coding) => {
    if (coding === 'identity') return Promise.resolve(body);
    const key = `${coding} ${etag}`;
    const kept = encodings.get(key);
    if (kept) return Promise.resolve(kept);
    let result = pending.get(coding);
    if (!result) {
      result = encodeBody(body, coding).then((encoded) => {
        encodings.set(key, encoded);
        return encoded;
      });
      pending.set(coding, result);
      // A failed encoding is not kept: the next request tries again.
      result.catch(() => pending.delete(coding));
    }
    return result;
  };
}
