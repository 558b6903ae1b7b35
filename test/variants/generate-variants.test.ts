/**
 * generateVariants under functions-framework: originals written through the filesystem album-art
 * store reach it as real finalized CloudEvents; duplicates and foreign objects are posted directly.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { objectResource } from '../../functions/adapters/blob-store/storage-event-notifier.js';
import type { BlobInfo } from '../../functions/domain/ports/blob-store.js';
import type { AlbumArt } from '../../functions/domain/schemas/album-art.js';
import { alphaPng, photoJpeg, truncatedJpeg } from '../../scripts/lib/sample-images.js';
import { testFirestore } from '../support/firestore-direct.js';
import { ALBUM_ART_BASE, postFinalized, seedAsset, startVariants, waitForAlbumArt, type VariantsServer } from '../support/variants-server.js';

const BUCKET = 'nna-registry-album-art';
const IMMUTABLE = 'public, max-age=31536000, immutable';

function originalName(assetId: string, bytes: Buffer, extension = 'jpg'): string {
  return `album-art/${assetId}/${createHash('sha256').update(bytes).digest('hex')}/original.${extension}`;
}

async function writeOriginal(server: VariantsServer, name: string, bytes: Buffer, jobId: string, contentType = 'image/jpeg'): Promise<BlobInfo> {
  return server.store.write(name, bytes, {
    contentType,
    cacheControl: IMMUTABLE,
    metadata: { assetId: name.split('/')[1]!, sourceUrl: 'https://example.com/art.jpg', jobId },
    ifNotExists: true,
  });
}

/** Every file under a folder of the album-art directory, with its modification time. */
function filesOf(server: VariantsServer, folder: string): Record<string, number> {
  const directory = path.join(server.blobDirectory, 'album-art-bucket', folder);
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    // No folder yet means no files.
    return {};
  }
  return Object.fromEntries(names.filter((name) => !name.endsWith('.partial')).map((name) => [name, statSync(path.join(directory, name)).mtimeMs]));
}

async function assetDocument(assetId: string): Promise<Record<string, unknown>> {
  return (await testFirestore().collection('assets').doc(assetId).get()).data()!;
}

/** Waits for the events of the function's own outputs to have been received and skipped. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1500));
}

describe('generateVariants (storage-triggered variants)', function () {
  this.timeout(60_000);
  let server: VariantsServer;

  before(async () => {
    server = await startVariants();
  });
  after(async () => {
    await server?.stop();
  });

  it('writes every size and format from a finalized original and sets the album art ready, with the original', async () => {
    await seedAsset('asset1', { jobId: 'job-1', status: 'pending' });
    const bytes = await photoJpeg(1200, 800, { copyright: 'Someone Private' });
    const name = originalName('asset1', bytes);
    await writeOriginal(server, name, bytes, 'job-1');

    const art = await waitForAlbumArt('asset1', (current) => current?.status === 'ready');
    const folder = name.slice(0, name.lastIndexOf('/'));
    expect(art.url).to.equal(`${ALBUM_ART_BASE}/${folder}/500.jpg`);
    expect(art).to.include({ contentType: 'image/jpeg', quality: 'High', jobId: 'job-1' });
    expect(art.placeholder).to.match(/^[A-Za-z0-9+/]+=*$/);
    expect(art.dominantColor).to.match(/^#[0-9a-f]{6}$/);
    expect(art.original).to.deep.equal({ objectName: name, sha256: folder.split('/')[2], contentType: 'image/jpeg', width: 1200, height: 800, bytes: bytes.length });
    expect(art.statusHistory!.map((entry) => entry.status)).to.deep.equal(['ready']);
    expect(Object.keys(art.variants!).sort()).to.deep.equal(['150', '500', 'original']);

    const expected = { '150': [150, 150], '500': [500, 500], original: [1200, 800] } as const;
    for (const [size, formats] of Object.entries(art.variants!)) {
      expect(Object.keys(formats).sort()).to.deep.equal(['jpg', 'webp'].filter((format) => size !== 'original' || format === 'jpg'));
      for (const [format, entry] of Object.entries(formats)) {
        const objectName = entry.url.slice(ALBUM_ART_BASE.length + 1);
        const data = (await server.store.read(objectName))!;
        const metadata = await sharp(data).metadata();
        expect([metadata.width, metadata.height], `${size}.${format}`).to.deep.equal(expected[size as keyof typeof expected]);
        expect(metadata.format).to.equal(format === 'jpg' ? 'jpeg' : 'webp');
        expect(metadata.exif, `${size}.${format} has no EXIF`).to.equal(undefined);
        expect(entry).to.include({ width: metadata.width, height: metadata.height, bytes: data.length });
        expect(await server.store.headers(objectName)).to.deep.equal({ contentType: `image/${metadata.format}`, cacheControl: IMMUTABLE });
        expect((await server.store.stat(objectName))!.metadata).to.include({ generatedBy: 'nna-variants', jobId: 'job-1' });
      }
    }
    expect(art.size).to.equal(art.variants!['500']!['jpg']!.bytes);
    await settle();
    // The outputs' own finalized events were received and ignored: nothing beyond one set.
    expect(Object.keys(filesOf(server, folder)).sort()).to.deep.equal(['150.jpg', '150.webp', '500.jpg', '500.webp', 'original-size.jpg', 'original.jpg']);
  });

  it('does nothing more for a redelivered event: no second set of writes, no second status change', async () => {
    await seedAsset('asset2', { jobId: 'job-2' });
    const bytes = await photoJpeg(640, 640);
    const name = originalName('asset2', bytes);
    const blob = await writeOriginal(server, name, bytes, 'job-2');
    await waitForAlbumArt('asset2', (art) => art?.status === 'ready');
    await settle();
    const folder = name.slice(0, name.lastIndexOf('/'));
    const filesBefore = filesOf(server, folder);
    const documentBefore = await assetDocument('asset2');

    const status = await postFinalized(server.url, objectResource(BUCKET, blob, {}, '1', new Date().toISOString()));
    expect(status).to.be.within(200, 299);
    await settle();
    expect(filesOf(server, folder)).to.deep.equal(filesBefore);
    expect(await assetDocument('asset2')).to.deep.equal(documentBefore);
  });

  it('changes the status once when the same event arrives twice at the same time', async () => {
    await seedAsset('asset3', { jobId: 'job-3' });
    const bytes = await photoJpeg(700, 500);
    const name = originalName('asset3', bytes);
    // Written without events (plain store), then delivered twice concurrently.
    const { FsBlobStore } = await import('../../functions/adapters/blob-store/fs-blob-store.js');
    const quiet = new FsBlobStore(path.join(server.blobDirectory, 'album-art-bucket'), ALBUM_ART_BASE);
    const blob = await quiet.write(name, bytes, { contentType: 'image/jpeg', metadata: { assetId: 'asset3', jobId: 'job-3' }, ifNotExists: true });
    const event = objectResource(BUCKET, blob, {}, '7', new Date().toISOString());
    const statuses = await Promise.all([postFinalized(server.url, event, 'same'), postFinalized(server.url, event, 'same')]);
    expect(statuses.every((status) => status >= 200 && status < 300)).to.equal(true);
    const art = await waitForAlbumArt('asset3', (current) => current?.status === 'ready');
    expect(art.statusHistory!.filter((entry) => entry.status === 'ready')).to.have.length(1);
    expect(art.quality).to.equal('Medium');
  });

  it('never acts on its own outputs: not by path (500.jpg), not by marker (a marked original.jpg)', async () => {
    await seedAsset('asset4', { jobId: 'job-4' });
    const bytes = await photoJpeg(400, 400);
    const folder = originalName('asset4', bytes).replace(/\/original\.jpg$/, '');
    const { FsBlobStore } = await import('../../functions/adapters/blob-store/fs-blob-store.js');
    const quiet = new FsBlobStore(path.join(server.blobDirectory, 'album-art-bucket'), ALBUM_ART_BASE);
    const output = await quiet.write(`${folder}/500.jpg`, bytes, { contentType: 'image/jpeg', metadata: { assetId: 'asset4', jobId: 'job-4' } });
    const marked = await quiet.write(`${folder}/original.jpg`, bytes, { contentType: 'image/jpeg', metadata: { assetId: 'asset4', jobId: 'job-4', generatedBy: 'nna-variants' } });
    const before = await assetDocument('asset4');

    expect(await postFinalized(server.url, objectResource(BUCKET, output, {}, '1', new Date().toISOString()))).to.be.within(200, 299);
    expect(await postFinalized(server.url, objectResource(BUCKET, marked, {}, '1', new Date().toISOString()))).to.be.within(200, 299);
    await settle();
    expect(await assetDocument('asset4')).to.deep.equal(before);
    expect(Object.keys(filesOf(server, folder)).sort()).to.deep.equal(['500.jpg', 'original.jpg']);
  });

  it('marks the asset failed when the original cannot be decoded, writing nothing', async () => {
    await seedAsset('asset5', { jobId: 'job-5', status: 'stored' });
    const bytes = await truncatedJpeg();
    const name = originalName('asset5', bytes);
    await writeOriginal(server, name, bytes, 'job-5');
    const art = await waitForAlbumArt('asset5', (current) => current?.status === 'failed');
    expect(art.error).to.include({ code: 'UNDECODABLE_IMAGE', attempts: 1 });
    expect(art.error!.message).to.match(/cannot be decoded/);
    expect(art).not.to.have.property('variants');
    await settle();
    expect(Object.keys(filesOf(server, name.slice(0, name.lastIndexOf('/'))))).to.deep.equal(['original.jpg']);
  });

  it('answers an error (so the event is delivered again) when the original cannot be read, changing nothing', async () => {
    await seedAsset('asset8', { jobId: 'job-8', status: 'stored' });
    const name = `album-art/asset8/${'a'.repeat(64)}/original.jpg`;
    // A directory where the object should be: reading it fails with something other than "not found".
    mkdirSync(path.join(server.blobDirectory, 'album-art-bucket', name), { recursive: true });
    const before = await assetDocument('asset8');
    const event = { bucket: BUCKET, name, contentType: 'image/jpeg', size: '10', metadata: { assetId: 'asset8', jobId: 'job-8' } };
    expect(await postFinalized(server.url, event)).to.be.within(500, 599);
    expect(await assetDocument('asset8')).to.deep.equal(before);
  });

  it('skips an original of a superseded job and leaves the newer job alone', async () => {
    await seedAsset('asset6', { jobId: 'job-new', status: 'processing' });
    const bytes = await photoJpeg(300, 300);
    const name = originalName('asset6', bytes);
    const before = await assetDocument('asset6');
    await writeOriginal(server, name, bytes, 'job-old');
    await settle();
    expect(await assetDocument('asset6')).to.deep.equal(before);
    expect(Object.keys(filesOf(server, name.slice(0, name.lastIndexOf('/'))))).to.deep.equal(['original.jpg']);
  });

  it('flattens a PNG with alpha onto white for JPEG, keeps alpha in WebP, and keeps a quality the client set', async () => {
    await seedAsset('asset7', { jobId: 'job-7', quality: 'High' });
    const bytes = await alphaPng();
    const name = originalName('asset7', bytes, 'png');
    await writeOriginal(server, name, bytes, 'job-7', 'image/png');
    const art: AlbumArt = await waitForAlbumArt('asset7', (current) => current?.status === 'ready');
    expect(art.quality).to.equal('High');
    const read = async (url: string) => (await server.store.read(url.slice(ALBUM_ART_BASE.length + 1)))!;
    const jpeg = await sharp(await read(art.variants!['500']!['jpg']!.url)).raw().toBuffer({ resolveWithObject: true });
    expect(jpeg.info.channels).to.equal(3);
    expect([...jpeg.data.subarray(0, 3)].every((value) => value > 245), 'the transparent corner is white').to.equal(true);
    const webp = await sharp(await read(art.variants!['500']!['webp']!.url)).metadata();
    expect(webp.hasAlpha).to.equal(true);
    expect(art.original).to.include({ contentType: 'image/png', width: 400, height: 300 });
    expect(art.variants!['500']!['jpg']).to.include({ width: 300, height: 300 });
  });
});
