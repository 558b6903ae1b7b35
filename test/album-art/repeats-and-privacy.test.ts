/**
 * Album art end to end (processAlbumArt -> storage event -> generateVariants, real functions-framework
 * servers and Firestore emulator): repeats end `ready` and reuse what is stored, originals are private
 * and content-addressed, no public byte carries a polyglot payload or GPS, and a burst of deliveries
 * of one job downloads once and counts one attempt.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { originalName, variantFolder } from '../../functions/album-art/index.js';
import { photoJpeg } from '../../scripts/lib/sample-images.js';
import {
  albumArtOf,
  deliver,
  seedPendingSong,
  startAlbumArtPipeline,
  waitForStatus,
  type AlbumArtFunction,
  type AlbumArtPipeline,
  type AlbumArtState,
  type JobMessage,
} from '../support/album-art-stack.js';
import { startApi, type ApiServer } from '../support/api-server.js';
import { testFirestore } from '../support/firestore-direct.js';
import { call } from '../support/http-client.js';
import { startImageServer, type ImageServer } from '../support/image-server.js';
import { TOKENS } from '../support/test-environment.js';

/** A JPEG whose EXIF holds a GPS position (IFD3 is the GPS directory). */
export async function gpsJpeg(): Promise<Buffer> {
  return sharp(await photoJpeg(640, 480))
    .withExif({
      IFD0: { Make: 'PhoneCo' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 2617/100', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 3961/100' },
    })
    .jpeg()
    .toBuffer();
}

/** A stored ZIP holding one file: enough for `unzip -l` to list it after the image. */
function zipWith(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const file = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(file.length, 26);
  return Buffer.concat([local, file, data]);
}

describe('album art: repeats, reuse and private originals', function () {
  this.timeout(180_000);
  let images: ImageServer;
  let pipeline: AlbumArtPipeline;
  let blobBase: string;
  let bucketDirectory: string;
  let processor: AlbumArtFunction;
  let api: ApiServer;

  before(async function () {
    this.timeout(120_000);
    images = await startImageServer('127.0.0.2');
    pipeline = await startAlbumArtPipeline('127.0.0.2', { ALBUM_ART_IDLE_TIMEOUT_MS: '10000', ALBUM_ART_DEADLINE_MS: '20000' });
    ({ bucketDirectory, publicBase: blobBase, processor } = pipeline);
    api = await startApi(pipeline.shared);
  });

  after(async function () {
    this.timeout(30_000);
    await Promise.all([api?.stop(), pipeline?.stop(), images?.close()]);
  });

  const originals = (): string[] => {
    const directory = path.join(bucketDirectory, 'album-art', 'originals');
    return existsSync(directory) ? readdirSync(directory) : [];
  };
  const variantSets = (): string[] => {
    const directory = path.join(bucketDirectory, 'album-art', 'variants');
    return existsSync(directory) ? readdirSync(directory) : [];
  };
  /** Every public byte: the files the CDN may serve. */
  const publicFiles = (sha256: string): Buffer[] => {
    const folder = path.join(bucketDirectory, variantFolder(sha256));
    return readdirSync(folder).map((name) => readFileSync(path.join(folder, name)));
  };

  /** A song whose album art comes from `bytes` served at `route`, once it is ready. */
  async function readySong(route: string, bytes: Buffer): Promise<{ job: JobMessage; art: AlbumArtState }> {
    images.add(route, bytes);
    const job = await seedPendingSong(`${images.url}${route}`);
    await deliver(processor.url, job);
    const art = await waitForStatus(job.assetId, ['ready', 'failed'], 60_000);
    expect(art.status, JSON.stringify(art.error)).to.equal('ready');
    return { job, art };
  }

  /** A new job on an existing asset, as the API's album-art route writes it. */
  async function newJob(assetId: string, sourceUrl: string): Promise<JobMessage> {
    const requestId = randomUUID();
    const at = new Date().toISOString();
    const reference = testFirestore().collection('assets').doc(assetId);
    const current = (await reference.get()).get('albumArt') as Record<string, unknown>;
    await reference.update({
      albumArt: { ...current, sourceUrl, status: 'pending', jobId: requestId, attempts: 0, statusHistory: [{ status: 'pending', at, jobId: requestId }] },
    });
    return { assetId, sourceUrl, requestId };
  }

  it('a double request while downloading ends ready, with one original and one variant set', async () => {
    const cover = await photoJpeg(700, 700);
    images.add('/double.jpg', cover, { delayMs: 1000 });
    const first = await seedPendingSong(`${images.url}/double.jpg`);
    const firstDelivery = deliver(processor.url, first);
    // Until the first job's download has started (the source answers after a second).
    while (!images.hits.get('/double.jpg')) await new Promise((resolve) => setTimeout(resolve, 20));
    // The double click: a second job for the same asset and URL while the first one downloads.
    const second = await newJob(first.assetId, first.sourceUrl);
    const statuses = await Promise.all([firstDelivery, deliver(processor.url, second), deliver(processor.url, second)]);
    expect(
      statuses.every((status) => status < 300),
      String(statuses),
    ).to.equal(true);
    const art = await waitForStatus(first.assetId, ['ready', 'failed'], 60_000);
    expect(art.status, JSON.stringify(art)).to.equal('ready');
    expect(art.jobId).to.equal(second.requestId);
    expect(originals().filter((name) => name === art.sha256)).to.have.length(1);
    expect(variantSets().filter((name) => name === art.sha256)).to.have.length(1);
  });

  it('a repeat after ready ends ready, reusing the original and the variant set (recorded in the history)', async () => {
    const { job, art: first } = await readySong('/repeat.jpg', await photoJpeg(640, 640));
    const variantFiles = readdirSync(path.join(bucketDirectory, variantFolder(first.sha256!))).sort();

    const again = await newJob(job.assetId, job.sourceUrl);
    expect(await deliver(processor.url, again)).to.equal(204);
    // Ready by the time the delivery is acknowledged: nothing was rendered, no event was needed.
    const art = await albumArtOf(job.assetId);
    expect(art?.status).to.equal('ready');
    expect(art?.statusHistory).to.deep.include({
      status: 'stored',
      at: art!.statusHistory!.find((entry) => entry.status === 'stored')!.at,
      jobId: again.requestId,
      note: 'reused-original',
    });
    expect(art?.statusHistory?.find((entry) => entry.status === 'ready')?.note).to.equal('reused-variants');
    expect(art?.sha256).to.equal(first.sha256);
    expect(readdirSync(path.join(bucketDirectory, variantFolder(first.sha256!))).sort()).to.deep.equal(variantFiles);
  });

  it('two songs with the same cover share one original and one variant set; the second is never rendered', async () => {
    const cover = await photoJpeg(800, 600);
    const { art: a } = await readySong('/album-a.jpg', cover);
    images.add('/album-b.jpg', cover);
    const songB = await seedPendingSong(`${images.url}/album-b.jpg`);
    expect(await deliver(processor.url, songB)).to.equal(204);
    const b = await albumArtOf(songB.assetId);
    expect([a.status, b?.status]).to.deep.equal(['ready', 'ready']);
    expect(b?.sha256).to.equal(a.sha256);
    expect((b as { url?: string }).url).to.equal((a as { url?: string }).url);
    expect(originals().filter((name) => name === a.sha256)).to.have.length(1);
    expect(variantSets().filter((name) => name === a.sha256)).to.have.length(1);
    expect(b?.statusHistory?.map((entry) => entry.note ?? entry.status)).to.deep.equal(['pending', 'processing', 'reused-original', 'reused-variants']);
  });

  it('never shows the original: not in any response, not fetchable through the public base URL', async () => {
    const { job, art } = await readySong('/private.jpg', await photoJpeg(500, 500));
    const name = originalName(art.sha256!);
    expect(existsSync(path.join(bucketDirectory, name)), 'the original is stored').to.equal(true);

    const one = await call(api.url, 'GET', `/api/assets/${job.assetId}`, { token: TOKENS.reader });
    const listed = await call(api.url, 'GET', '/api/assets?layer=G&limit=100', { token: TOKENS.reader });
    for (const reply of [one, listed]) {
      expect(reply.status).to.equal(200);
      expect(reply.text).not.to.include('album-art/originals');
      expect(reply.text).not.to.include('"objectName"');
    }
    expect(one.text).to.include(`${blobBase}/${variantFolder(art.sha256!)}/500.jpg`);
    expect((await fetch(`${blobBase}/${name}`)).status).to.equal(404);
    expect((await fetch(`${blobBase}/${encodeURI(name)}`)).status).to.equal(404);
    expect((await fetch(`${blobBase}/${variantFolder(art.sha256!)}/original-size.jpg`)).status).to.equal(200);
  });

  const TOKEN = 'POLYGLOT-PAYLOAD-7f3a';
  const polyglots: Array<[string, () => Promise<Buffer>, Buffer]> = [
    ['JPEG + HTML', () => photoJpeg(320, 320), Buffer.from(`<html><script>alert("${TOKEN}")</script></html>`)],
    ['JPEG + ZIP', () => photoJpeg(330, 330), zipWith('payload.txt', TOKEN)],
    [
      'PNG + HTML',
      () =>
        sharp({ create: { width: 300, height: 200, channels: 3, background: '#336699' } })
          .png()
          .toBuffer(),
      Buffer.from(`<html>${TOKEN}</html>`),
    ],
  ];
  for (const [label, image, payload] of polyglots) {
    it(`cuts the payload of a ${label} polyglot: no stored or public byte holds it`, async () => {
      const clean = await image();
      const { art } = await readySong(`/polyglot-${label.replace(/\W+/g, '-')}`, Buffer.concat([clean, payload]));
      const stored = readFileSync(path.join(bucketDirectory, originalName(art.sha256!)));
      expect(stored.equals(clean), 'the private original is the image alone').to.equal(true);
      for (const bytes of publicFiles(art.sha256!)) expect(bytes.includes(TOKEN)).to.equal(false);
    });
  }

  it('leaves no public byte with GPS from a GPS JPEG', async () => {
    const photo = await gpsJpeg();
    expect((await sharp(photo).metadata()).exif, 'the fixture has EXIF').to.be.instanceOf(Buffer);
    const { art } = await readySong('/gps.jpg', photo);
    const files = publicFiles(art.sha256!);
    expect(files.length).to.be.greaterThan(3);
    for (const bytes of files) {
      expect(bytes.includes('Exif\0\0'), 'no EXIF block').to.equal(false);
      expect(bytes.includes('PhoneCo')).to.equal(false);
    }
  });

  it('10 simultaneous deliveries of one job: one download, attempts 1', async () => {
    images.add('/burst.jpg', await photoJpeg(600, 400), { delayMs: 300 });
    const job = await seedPendingSong(`${images.url}/burst.jpg`);
    const statuses = await Promise.all(Array.from({ length: 10 }, () => deliver(processor.url, job, 'burst-message')));
    expect(
      statuses.every((status) => status === 204),
      String(statuses),
    ).to.equal(true);
    expect(images.hits.get('/burst.jpg')).to.equal(1);
    const art = await waitForStatus(job.assetId, ['ready', 'failed'], 60_000);
    expect(art.attempts).to.equal(1);
    expect(art.statusHistory?.filter((entry) => entry.status === 'processing')).to.have.length(1);
  });
});
