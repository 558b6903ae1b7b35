/**
 * A listing's answer serialized once into the bytes every request for it sends: exactly what
 * `JSON.stringify` of the envelope gives (the bytes a listing has always had), built from each item's
 * view bytes (kept across answers while the asset is unchanged: listing-bytes.ts), so no
 * envelope-sized string is made beside the bytes. Its ETag and its encodings are made once too.
 */
import type { AlbumArtDisplay } from '../domain/album-art-view.js';
import { etagOfBytes } from '../domain/asset-view.js';
import type { AssetListing } from './asset-listing.js';
import type { SerializedBody } from './http-types.js';
import { assetViewBytes, pageEncodings } from './listing-bytes.js';

export interface ListingPage extends SerializedBody {
  etag: string;
  /** Documents the read of this page billed. */
  documentsRead: number;
  /** Reads its `count()` aggregations billed. */
  aggregationReads: number;
  total: number;
}

const COMMA = Buffer.from(',');

export function serializeListingPage(listing: AssetListing, limit: number, albumArtShape: AlbumArtDisplay): ListingPage {
  const data: Record<string, unknown> = { items: [], total: listing.total, page: listing.page, limit };
  if (listing.nextCursor) data['nextCursor'] = listing.nextCursor;
  if (listing.totalIsLowerBound) data['totalIsLowerBound'] = true;
  // The envelope with an empty item list; the items go between its brackets. `items` is the first
  // key of `data`, so the first `[]` of the text is its list.
  const shell = JSON.stringify({ success: true, data });
  const open = shell.indexOf('[]') + 1;
  const parts: Buffer[] = [Buffer.from(shell.slice(0, open))];
  listing.items.forEach((asset, index) => {
    if (index > 0) parts.push(COMMA);
    parts.push(assetViewBytes(asset, albumArtShape));
  });
  parts.push(Buffer.from(shell.slice(open)));
  const bytes = Buffer.concat(parts);
  const etag = etagOfBytes(bytes);
  return {
    bytes,
    encoded: pageEncodings(bytes, etag),
    etag,
    documentsRead: listing.documentsRead,
    aggregationReads: listing.aggregationReads,
    total: listing.total,
  };
}
