/**
 * generateVariants under functions-framework: originals written through the filesystem album-art
 * store reach it as real finalized CloudEvents; duplicates and foreign objects are posted directly.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { originalName, variantFolder } from '../../functions/album-art/index.js';
import { objectResource } from '../../functions/adapters/blob-store/storage-event-notifier.js';
import type { BlobInfo } from '../../functions/domain/ports/blob-store.js';
import type { AlbumArt } from '../../functions/domain/schemas/album-art.js';
import { alphaPng, photoJpeg, truncatedJpeg } from '../../scripts/lib/sample-images.js';
import { testFirestore } from '../support/firestore-direct.js';
import { ALBUM_ART_BASE, postFinalized, seedAsset, startVariants, waitForAlbumArt, type VariantsServer } from '../support/variants-server.js';

const BUCKET = 'nna-registry-album-art';
const IMMUTABLE = 'public, max-age=31536000, immutable';

function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The asset as the processor leaves it once the original is stored: waiting for its variant set. */
async function seedStored(assetId: string, jobId: string, bytes: Buffer, extra: Partial<AlbumArt> = {}): Promise<string> {
  const sha256 = sha256Of(bytes);
  await seedAsset(assetId, { jobId, status: 'stored', sha256, scanned: false, ...extra });
  return sha256;
}

async function writeOriginal(server: VariantsServer, bytes: Buffer, contentType = 'image/jpeg'): Promise<BlobInfo> {
  return server.store.write(originalName(sha256Of(bytes)), bytes, {
    contentType,
    cacheControl: 'private, no-store',
    metadata: { sha256: sha256Of(bytes) },
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

async function waitForManifest(server: VariantsServer, sha256: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await server.store.stat(`${variantFolder(sha256)}/manifest.json`))) {
    if (Date.now() > deadline) throw new Error(`no manifest for ${sha256}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
    const bytes = await photoJpeg(1200, 800, { copyright: 'Someone Private' });
    const original = { sha256: sha256Of(bytes), contentType: 'image/jpeg', width: 1200, height: 800, bytes: bytes.length };
    await seedStored('asset1', 'job-1', bytes, { original });
    await writeOriginal(server, bytes);

    const art = await waitForAlbumArt('asset1', (current) => current?.status === 'ready');
    const folder = variantFolder(sha256Of(bytes));
    expect(art.url).to.equal(`${ALBUM_ART_BASE}/${folder}/500.jpg`);
    expect(art).to.include({ contentType: 'image/jpeg', quality: 'High', jobId: 'job-1' });
    expect(art.placeholder).to.match(/^[A-Za-z0-9+/]+=*$/);
    expect(art.dominantColor).to.match(/^#[0-9a-f]{6}$/);
    expect(art.original, "the processor's facts stay").to.deep.equal(original);
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
        expect((await server.store.stat(objectName))!.metadata).to.include({ generatedBy: 'nna-variants', sha256: sha256Of(bytes) });
      }
    }
    expect(art.size).to.equal(art.variants!['500']!['jpg']!.bytes);
    await settle();
    // The outputs' own finalized events were received and ignored: nothing beyond one set.
    expect(Object.keys(filesOf(server, folder)).sort()).to.deep.equal(['150.jpg', '150.webp', '500.jpg', '500.webp', 'manifest.json', 'original-size.jpg']);
  });

  it('does nothing more for a redelivered event: no second set of writes, no second status change', async () => {
    const bytes = await photoJpeg(640, 640);
    await seedStored('asset2', 'job-2', bytes);
    const blob = await writeOriginal(server, bytes);
    await waitForAlbumArt('asset2', (art) => art?.status === 'ready');
    await settle();
    const folder = variantFolder(sha256Of(bytes));
    const filesBefore = filesOf(server, folder);
    const documentBefore = await assetDocument('asset2');

    const status = await postFinalized(server.url, objectResource(BUCKET, blob, {}, '1', new Date().toISOString()));
    expect(status).to.be.within(200, 299);
    await settle();
    expect(filesOf(server, folder)).to.deep.equal(filesBefore);
    expect(await assetDocument('asset2')).to.deep.equal(documentBefore);
  });

  it('changes the status once when the same event arrives twice at the same time', async () => {
    const bytes = await photoJpeg(700, 500);
    await seedStored('asset3', 'job-3', bytes);
    // Written without events (plain store), then delivered twice concurrently.
    const { FsBlobStore } = await import('../../functions/adapters/blob-store/fs-blob-store.js');
    const quiet = new FsBlobStore(path.join(server.blobDirectory, 'album-art-bucket'), ALBUM_ART_BASE);
    const blob = await quiet.write(originalName(sha256Of(bytes)), bytes, { contentType: 'image/jpeg', ifNotExists: true });
    const event = objectResource(BUCKET, blob, {}, '7', new Date().toISOString());
    const statuses = await Promise.all([postFinalized(server.url, event, 'same'), postFinalized(server.url, event, 'same')]);
    expect(statuses.every((status) => status >= 200 && status < 300)).to.equal(true);
    const art = await waitForAlbumArt('asset3', (current) => current?.status === 'ready');
    expect(art.statusHistory!.filter((entry) => entry.status === 'ready')).to.have.length(1);
    expect(art.quality).to.equal('Medium');
  });

  it('never acts on its own outputs: not by path (500.jpg), not by marker (a marked original)', async () => {
    const bytes = await photoJpeg(400, 400);
    await seedStored('asset4', 'job-4', bytes);
    const folder = variantFolder(sha256Of(bytes));
    const { FsBlobStore } = await import('../../functions/adapters/blob-store/fs-blob-store.js');
    const quiet = new FsBlobStore(path.join(server.blobDirectory, 'album-art-bucket'), ALBUM_ART_BASE);
    const output = await quiet.write(`${folder}/500.jpg`, bytes, { contentType: 'image/jpeg' });
    const marked = await quiet.write(originalName(sha256Of(bytes)), bytes, { contentType: 'image/jpeg', metadata: { generatedBy: 'nna-variants' } });
    const before = await assetDocument('asset4');

    expect(await postFinalized(server.url, objectResource(BUCKET, output, {}, '1', new Date().toISOString()))).to.be.within(200, 299);
    expect(await postFinalized(server.url, objectResource(BUCKET, marked, {}, '1', new Date().toISOString()))).to.be.within(200, 299);
    await settle();
    expect(await assetDocument('asset4')).to.deep.equal(before);
    expect(Object.keys(filesOf(server, folder)).sort()).to.deep.equal(['500.jpg']);
  });

  it('marks the asset failed when the original cannot be decoded, writing nothing', async () => {
    const bytes = await truncatedJpeg();
    await seedStored('asset5', 'job-5', bytes);
    await writeOriginal(server, bytes);
    const art = await waitForAlbumArt('asset5', (current) => current?.status === 'failed');
    expect(art.error).to.include({ code: 'UNDECODABLE_IMAGE', attempts: 1 });
    expect(art.error!.message).to.match(/cannot be decoded/);
    expect(art).not.to.have.property('variants');
    await settle();
    // Only the manifest recording the failure, so a later job with this image fails at once too.
    expect(Object.keys(filesOf(server, variantFolder(sha256Of(bytes))))).to.deep.equal(['manifest.json']);
  });

  it('answers an error (so the event is delivered again) when the original cannot be read, changing nothing', async () => {
    await seedAsset('asset8', { jobId: 'job-8', status: 'stored', sha256: 'a'.repeat(64) });
    const name = originalName('a'.repeat(64));
    // A directory where the object should be: reading it fails with something other than "not found".
    mkdirSync(path.join(server.blobDirectory, 'album-art-bucket', name), { recursive: true });
    const before = await assetDocument('asset8');
    const event = { bucket: BUCKET, name, contentType: 'image/jpeg', size: '10' };
    expect(await postFinalized(server.url, event)).to.be.within(500, 599);
    expect(await assetDocument('asset8')).to.deep.equal(before);
  });

  it('leaves alone an asset that is not waiting at stored for this image (a newer job under way)', async () => {
    const bytes = await photoJpeg(300, 300);
    await seedAsset('asset6', { jobId: 'job-new', status: 'processing', sha256: sha256Of(bytes) });
    const before = await assetDocument('asset6');
    await writeOriginal(server, bytes);
    await waitForManifest(server, sha256Of(bytes));
    expect(await assetDocument('asset6')).to.deep.equal(before);
  });

  it('flattens a PNG with alpha onto white for JPEG, keeps alpha in WebP, and keeps a quality the client set', async () => {
    const bytes = await alphaPng();
    await seedStored('asset7', 'job-7', bytes, {
      quality: 'High',
      original: { sha256: sha256Of(bytes), contentType: 'image/png', width: 400, height: 300, bytes: bytes.length },
    });
    await writeOriginal(server, bytes, 'image/png');
    const art: AlbumArt = await waitForAlbumArt('asset7', (current) => current?.status === 'ready');
    expect(art.quality).to.equal('High');
    const read = async (url: string) => (await server.store.read(url.slice(ALBUM_ART_BASE.length + 1)))!;
    const jpeg = await sharp(await read(art.variants!['500']!['jpg']!.url))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(jpeg.info.channels).to.equal(3);
    expect(
      [...jpeg.data.subarray(0, 3)].every((value) => value > 245),
      'the transparent corner is white',
    ).to.equal(true);
    const webp = await sharp(await read(art.variants!['500']!['webp']!.url)).metadata();
    expect(webp.hasAlpha).to.equal(true);
    expect(art.original).to.include({ contentType: 'image/png', width: 400, height: 300 });
    expect(art.variants!['500']!['jpg']).to.include({ width: 300, height: 300 });
  });
});
