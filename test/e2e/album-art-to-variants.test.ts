/**
 * End to end, with no step driven by the test: a Songs asset created through the API with a source
 * URL goes through the outbox, Pub/Sub push, processAlbumArt (download, validation, storage),
 * the storage event, generateVariants, and ends `ready` with variant URLs that serve images.
 */
import { expect } from 'chai';
import sharp from 'sharp';
import { setUpAlbumArtPubSub, type AlbumArtPubSub } from '../../scripts/lib/album-art-pubsub.js';
import { startAlbumArtPipeline, waitForStatus, type AlbumArtPipeline } from '../support/album-art-stack.js';
import { startApi, type ApiServer } from '../support/api-server.js';
import { call, dataOf } from '../support/http-client.js';
import { startImageServer, type ImageServer } from '../support/image-server.js';
import { TEST_PROJECT, TOKENS } from '../support/test-environment.js';

interface ImageObject {
  url: string;
  width: number;
  height: number;
  bytes: number;
}

interface ReadyArt {
  status?: string;
  url?: string;
  variants?: Record<string, Record<string, ImageObject>>;
  placeholder?: string;
  dominantColor?: string;
  error?: unknown;
}

describe('end to end: album art from source URL to ready variants', function () {
  this.timeout(180_000);
  let images: ImageServer;
  let pipeline: AlbumArtPipeline;
  let pubsub: AlbumArtPubSub;
  let api: ApiServer;

  before(async function () {
    this.timeout(120_000);
    images = await startImageServer('127.0.0.2');
    pipeline = await startAlbumArtPipeline('127.0.0.2');
    pubsub = await setUpAlbumArtPubSub({ projectId: TEST_PROJECT, functionUrl: pipeline.processor.url });
    api = await startApi(pipeline.shared);
  });

  after(async function () {
    this.timeout(30_000);
    await Promise.all([api?.stop(), pipeline?.stop(), images?.close(), pubsub?.close()]);
  });

  it('creates a song with a source URL and ends ready, every variant URL serving its image', async () => {
    const created = await call(api.url, 'POST', '/api/assets', {
      token: TOKENS.editor,
      json: { layer: 'G', category: 'Pop', subcategory: 'Swift_Inspired', description: 'End-to-end song', albumArt: { sourceUrl: `${images.url}/good.jpg` } },
    });
    expect(created.status, created.text).to.equal(201);
    const id = dataOf<{ id: string }>(created).id;
    // Until the variants are ready the frontend's image is the source itself.
    expect(dataOf<{ albumArt: string }>(created).albumArt).to.equal(`${images.url}/good.jpg`);
    expect(dataOf<{ albumArtInfo: { status: string } }>(created).albumArtInfo.status).to.equal('pending');

    await waitForStatus(id, ['ready', 'failed'], 120_000);
    const ready = dataOf<{ albumArt?: string; albumArtInfo?: ReadyArt }>(await call(api.url, 'GET', `/api/assets/${id}`));
    const art = ready.albumArtInfo;
    expect(art?.status, JSON.stringify(art)).to.equal('ready');
    expect(art?.url).to.equal(art?.variants?.['500']?.['jpg']?.url);
    // Once ready, the image the frontend shows is the 500 px JPEG.
    expect(ready.albumArt).to.equal(art?.variants?.['500']?.['jpg']?.url);
    expect(art?.placeholder).to.be.a('string').and.not.equal('');
    expect(art?.dominantColor).to.match(/^#[0-9a-f]{6}$/);

    const expected: Array<[string, string, string]> = [
      ['150', 'jpg', 'jpeg'],
      ['150', 'webp', 'webp'],
      ['500', 'jpg', 'jpeg'],
      ['500', 'webp', 'webp'],
      ['original', 'jpg', 'jpeg'],
    ];
    for (const [size, format, sharpFormat] of expected) {
      const variant = art?.variants?.[size]?.[format];
      expect(variant, `${size}.${format}`).to.not.equal(undefined);
      const response = await fetch(variant!.url);
      expect(response.status, variant!.url).to.equal(200);
      expect(response.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
      const metadata = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      expect({ format: metadata.format, width: metadata.width, height: metadata.height }).to.deep.equal({
        format: sharpFormat,
        width: variant!.width,
        height: variant!.height,
      });
    }

    // Each writer left its history entry: the API's create, the pipeline's status changes, the variants.
    const history = dataOf<{ items: Array<{ writer: string; changedFields: string[] }> }>(
      await call(api.url, 'GET', `/api/assets/${id}/history?limit=100`, { token: TOKENS.editor }),
    );
    const writers = new Set(history.items.map((entry) => entry.writer));
    expect([...writers].sort()).to.deep.equal(['album-art', 'api', 'variants']);
    expect(history.items.filter((entry) => entry.writer !== 'api').every((entry) => entry.changedFields.includes('albumArt'))).to.equal(true);
  });
});
