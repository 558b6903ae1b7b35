import { expect } from 'chai';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { originalName, variantManifestName } from '../../functions/album-art/index.js';
import { FINALIZED_EVENT_TYPE } from '../../functions/adapters/blob-store/storage-event-notifier.js';
import type { Metrics } from '../../functions/domain/ports/metrics.js';
import type { AlbumArt } from '../../functions/domain/schemas/album-art.js';
import { createLogger } from '../../functions/platform/logger.js';
import type { StorageEvent } from '../../functions/variants/storage-object-event.js';
import { VariantGenerator } from '../../functions/variants/variant-generator.js';
import { InMemoryAlbumArtStore } from '../support/fakes/in-memory-album-art-store.js';
import { InMemoryBlobStore } from '../support/fakes/in-memory-blob-store.js';
import { InMemoryFeatureFlags } from '../support/fakes/in-memory-feature-flags.js';

const BUCKET = 'album-art-bucket';
const noMetrics: Metrics = { count: () => undefined, observe: () => undefined };

const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const coverJpeg = (): Promise<Buffer> =>
  sharp({ create: { width: 640, height: 480, channels: 3, background: '#3366cc' } })
    .jpeg()
    .toBuffer();

function finalized(name: string, metadata?: Record<string, string>, bucket = BUCKET): StorageEvent {
  return {
    specversion: '1.0',
    id: `event-${name}`,
    source: `//storage.googleapis.com/projects/_/buckets/${bucket}`,
    type: FINALIZED_EVENT_TYPE,
    data: { bucket, name, size: 1, ...(metadata ? { metadata } : {}) },
  };
}

/** An asset whose album art waits at `stored` with this image for its variant set. */
const stored = (sha256: string): AlbumArt => ({ source: 'iTunes', status: 'stored', jobId: 'job-1', sha256, attempts: 1 });

function world() {
  const blobs = new InMemoryBlobStore();
  const albumArt = new InMemoryAlbumArtStore();
  const generator = new VariantGenerator({
    blobStore: blobs,
    albumArt,
    flags: new InMemoryFeatureFlags(),
    metrics: noMetrics,
    logger: createLogger('ERROR'),
    bucket: BUCKET,
    crop: 'cover-centre',
  });
  return { blobs, albumArt, generator };
}

describe('variants: the generator over fakes (blob store, album-art store)', () => {
  it('renders the set of a new original once, writes its manifest last, and makes every asset waiting for it ready', async () => {
    const { blobs, albumArt, generator } = world();
    const image = await coverJpeg();
    const sha256 = sha256Of(image);
    await blobs.write(originalName(sha256), image, { contentType: 'image/jpeg' });
    albumArt.put('a1', { name: 'S.POP.BAS.001', albumArt: stored(sha256) });
    albumArt.put('a2', { name: 'S.POP.BAS.002', albumArt: stored(sha256) });
    albumArt.put('other', { name: 'S.POP.BAS.003', albumArt: stored('f'.repeat(64)) });
    expect(await generator.handle(finalized(originalName(sha256)))).to.equal('ready');
    const ready = await albumArt.current('a1');
    expect(ready).to.deep.include({ status: 'ready', contentType: 'image/jpeg', quality: 'Medium' });
    expect(Object.keys(ready!.variants!).sort()).to.deep.equal(['150', '500', 'original']);
    expect(ready!.variants!['150']!['jpg']).to.include({ width: 150, height: 150 });
    expect(await blobs.stat(ready!.variants!['150']!['webp']!.url.replace(/^.*\/bucket\//, ''))).to.have.nested.property(
      'metadata.generatedBy',
      'nna-variants',
    );
    expect(await albumArt.current('a2')).to.have.property('status', 'ready');
    expect(await albumArt.current('other')).to.have.property('status', 'stored');
    expect(JSON.parse((await blobs.read(variantManifestName(sha256)))!.toString())).to.include({ sha256, width: 640, height: 480 });
  });

  it('renders nothing on a redelivery: the manifest is found and its set reused', async () => {
    const { blobs, albumArt, generator } = world();
    const image = await coverJpeg();
    const sha256 = sha256Of(image);
    await blobs.write(originalName(sha256), image, { contentType: 'image/jpeg' });
    await generator.handle(finalized(originalName(sha256)));
    const written = blobs.names();
    await blobs.delete(originalName(sha256));
    albumArt.put('late', { name: 'S.POP.BAS.004', albumArt: stored(sha256) });
    expect(await generator.handle(finalized(originalName(sha256)))).to.equal('ready');
    expect(blobs.names()).to.deep.equal(written.filter((name) => name !== originalName(sha256)));
    expect(await albumArt.current('late')).to.have.property('status', 'ready');
  });

  it('fails every asset using an original that cannot be decoded, and records the failure as its set', async () => {
    const { blobs, albumArt, generator } = world();
    const junk = Buffer.from('not an image at all');
    const sha256 = sha256Of(junk);
    await blobs.write(originalName(sha256), junk, { contentType: 'image/jpeg' });
    albumArt.put('a1', { name: 'S.POP.BAS.001', albumArt: stored(sha256) });
    expect(await generator.handle(finalized(originalName(sha256)))).to.equal('failed');
    expect(await albumArt.current('a1')).to.deep.include({ status: 'failed' });
    expect((await albumArt.current('a1'))!.error).to.include({ attempts: 1 });
    expect(JSON.parse((await blobs.read(variantManifestName(sha256)))!.toString())).to.have.property('failure');
  });

  it('skips what is not an original of its bucket, its own outputs and an original gone, writing nothing', async () => {
    const { blobs, generator } = world();
    const image = Buffer.from('an original the generator must not touch here');
    const sha256 = sha256Of(image);
    await blobs.write(originalName(sha256), image, { contentType: 'image/jpeg' });
    expect(await generator.handle(finalized(originalName(sha256), undefined, 'another-bucket'))).to.equal('skipped');
    expect(await generator.handle(finalized('album-art/variants/abc/150.jpg'))).to.equal('skipped');
    expect(await generator.handle(finalized(originalName(sha256), { generatedBy: 'nna-variants' }))).to.equal('skipped');
    expect(await generator.handle(finalized(originalName('b'.repeat(64))))).to.equal('skipped');
    expect(blobs.names()).to.deep.equal([originalName(sha256)]);
  });
});
