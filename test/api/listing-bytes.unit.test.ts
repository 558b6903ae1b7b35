/**
 * What listings reuse between answers (functions/api/listing-bytes.ts): an asset's view bytes by its
 * revision and the album-art display, and a page's compressed bodies by its ETag.
 */
import { expect } from 'chai';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { assetViewBytes, pageEncodings } from '../../functions/api/listing-bytes.js';
import type { AlbumArtDisplay } from '../../functions/domain/album-art-view.js';
import { toAssetView } from '../../functions/domain/asset-view.js';
import type { StoredAsset, StoredAssetDocument } from '../../functions/domain/stored-asset.js';
import { legacyDocument } from '../contract/asset-documents.js';

const URL_SHAPE: AlbumArtDisplay = { shape: 'url', allowedHosts: ['images.example'] };
const OBJECT_SHAPE: AlbumArtDisplay = { shape: 'object', allowedHosts: ['images.example'] };

function storedAsset(id: string, fields: Record<string, unknown>, revision?: string): StoredAsset {
  const asset: StoredAsset = {
    id,
    document: legacyDocument('S.POP.BAS.001', {
      albumArt: { status: 'pending', sourceUrl: 'https://images.example/cover.jpg' },
      ...fields,
    }) as StoredAssetDocument,
  };
  if (revision !== undefined) asset.revision = revision;
  return asset;
}

const viewText = (asset: StoredAsset, display: AlbumArtDisplay) => JSON.stringify(toAssetView(asset, display));

describe('listing bytes kept between answers', () => {
  it('gives exactly the view the asset has, for either album-art shape', () => {
    const asset = storedAsset('view-shapes', {}, '1.1');
    expect(assetViewBytes(asset, URL_SHAPE).toString()).to.equal(viewText(asset, URL_SHAPE));
    expect(assetViewBytes(asset, OBJECT_SHAPE).toString()).to.equal(viewText(asset, OBJECT_SHAPE));
    expect(assetViewBytes(asset, URL_SHAPE).toString()).to.equal(viewText(asset, URL_SHAPE));
    expect(viewText(asset, URL_SHAPE)).not.to.equal(viewText(asset, OBJECT_SHAPE));
  });

  it('keeps a view per allowed-host list', () => {
    const asset = storedAsset('view-hosts', {}, '2.1');
    const none: AlbumArtDisplay = { shape: 'url', allowedHosts: [] };
    expect(assetViewBytes(asset, URL_SHAPE).toString()).to.equal(viewText(asset, URL_SHAPE));
    expect(assetViewBytes(asset, none).toString()).to.equal(viewText(asset, none));
    expect(viewText(asset, none)).not.to.equal(viewText(asset, URL_SHAPE));
  });

  it('builds a new view for a new revision, and the kept one for the same revision', () => {
    const first = storedAsset('view-revisions', { description: 'first' }, '3.1');
    const kept = assetViewBytes(first, URL_SHAPE);
    expect(assetViewBytes(storedAsset('view-revisions', { description: 'first' }, '3.1'), URL_SHAPE)).to.equal(kept);
    const changed = storedAsset('view-revisions', { description: 'second' }, '3.2');
    expect(assetViewBytes(changed, URL_SHAPE).toString()).to.equal(viewText(changed, URL_SHAPE));
  });

  it('builds each time the view of an asset without a revision', () => {
    const asset = storedAsset('view-unrevised', { description: 'one' });
    expect(assetViewBytes(asset, URL_SHAPE).toString()).to.include('"one"');
    asset.document = { ...asset.document, description: 'two' };
    expect(assetViewBytes(asset, URL_SHAPE).toString()).to.include('"two"');
  });

  it('encodes a page once per coding and gives a later page with the same ETag the same bytes', async () => {
    const body = Buffer.from(JSON.stringify({ items: Array.from({ length: 200 }, (_, index) => ({ index, text: 'repeated text' })) }));
    const encoded = pageEncodings(body, '"page-etag-1"');
    expect(await encoded('identity')).to.equal(body);
    const br = await encoded('br');
    expect(brotliDecompressSync(br).equals(body)).to.equal(true);
    expect(gunzipSync(await encoded('gzip')).equals(body)).to.equal(true);
    expect(await pageEncodings(Buffer.from(body), '"page-etag-1"')('br')).to.equal(br);
    expect(await pageEncodings(Buffer.from(body), '"page-etag-2"')('br')).not.to.equal(br);
  });
});
