/**
 * Every hostile source ends refused with a clear failure code and nothing stored. Jobs arrive as
 * Pub/Sub CloudEvents posted to the real functions-framework server. Address cases run with the
 * loopback switch off and an allow-list of `*`, so the address check alone refuses them.
 */
import { expect } from 'chai';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { albumArtOf, deliver, seedPendingSong, startAlbumArtFunction, type AlbumArtFunction } from '../support/album-art-stack.js';
import { EICAR, startClamd, type Clamd } from '../support/clamd.js';
import { startImageServer, type ImageServer } from '../support/image-server.js';

describe('album-art pipeline: hostile sources', function () {
  this.timeout(60_000);
  let clamd: Clamd;
  let images: ImageServer;
  let loopbackImages: ImageServer;
  /** Loopback switch off, every host allowed: only the address check stands in the way. */
  let strict: AlbumArtFunction;
  /** Only 127.0.0.2 (the image server) may be fetched; redirects from it go elsewhere. */
  let open: AlbumArtFunction;

  before(async function () {
    this.timeout(120_000);
    [clamd, images, loopbackImages] = await Promise.all([startClamd(), startImageServer('127.0.0.2'), startImageServer('127.0.0.1')]);
    [strict, open] = await Promise.all([
      startAlbumArtFunction({ ALBUM_ART_ALLOWED_HOSTS: '*', ALBUM_ART_ALLOW_LOOPBACK_SOURCES: 'off', ALBUM_ART_SCAN: 'off' }),
      startAlbumArtFunction({
        ALBUM_ART_ALLOWED_HOSTS: '127.0.0.2,127.0.0.1,169.254.169.254,::1,10.0.0.1',
        ALBUM_ART_ALLOW_LOOPBACK_SOURCES: '127.0.0.2',
        ALBUM_ART_SCAN: 'required',
        CLAMD_ADDRESS: clamd.address,
      }),
    ]);
  });

  after(async function () {
    this.timeout(30_000);
    await Promise.all([strict?.stop(), open?.stop(), clamd?.stop(), images?.close(), loopbackImages?.close()]);
  });

  /** Every object of the album-art bucket (originals are content-addressed, not per asset). */
  function storedObjects(server: AlbumArtFunction): string[] {
    const directory = path.join(server.blobDirectory, 'album-art-bucket', 'album-art');
    return existsSync(directory) ? readdirSync(directory, { recursive: true }).map(String) : [];
  }

  /** Delivers until the job is acked (at most the two test attempts) and checks the refusal. */
  async function expectRefused(server: AlbumArtFunction, sourceUrl: string, code: string): Promise<void> {
    const job = await seedPendingSong(sourceUrl);
    const before = storedObjects(server);
    if ((await deliver(server.url, job)) >= 500) expect(await deliver(server.url, job)).to.be.at.least(200);
    const albumArt = await albumArtOf(job.assetId);
    expect(albumArt?.status, JSON.stringify(albumArt)).to.equal('failed');
    expect(albumArt?.error?.code, albumArt?.error?.message).to.equal(code);
    expect(albumArt?.error?.message).to.be.a('string').and.not.equal('');
    expect(albumArt?.original).to.equal(undefined);
    expect(albumArt?.statusHistory?.map((change) => change.status)).to.deep.equal(['pending', 'processing', 'failed']);
    expect(storedObjects(server)).to.deep.equal(before);
  }

  const port = (): number => loopbackImages.port;
  const addressCases: Array<[string, () => string]> = [
    ['127.0.0.1 (a server really listens there)', () => `http://127.0.0.1:${port()}/good.jpg`],
    ['localhost, resolved by DNS to loopback', () => `http://localhost:${port()}/good.jpg`],
    ['169.254.169.254 (cloud metadata)', () => 'http://169.254.169.254/computeMetadata/v1/'],
    ['[::1]', () => `http://[::1]:${port()}/good.jpg`],
    ['[::ffff:127.0.0.1] (IPv4-mapped IPv6)', () => `http://[::ffff:127.0.0.1]:${port()}/good.jpg`],
    ['10.0.0.1', () => 'http://10.0.0.1/art.jpg'],
    ['2130706433 (decimal 127.0.0.1)', () => `http://2130706433:${port()}/good.jpg`],
    ['0177.0.0.1 (octal 127.0.0.1)', () => `http://0177.0.0.1:${port()}/good.jpg`],
    ['127.1 (short 127.0.0.1)', () => `http://127.1:${port()}/good.jpg`],
    ['0.0.0.0', () => `http://0.0.0.0:${port()}/good.jpg`],
    ['100.64.0.1 (CGNAT)', () => 'http://100.64.0.1/art.jpg'],
    ['224.0.0.1 (multicast)', () => 'http://224.0.0.1/art.jpg'],
    ['[fe80::1] (IPv6 link-local)', () => 'http://[fe80::1]/art.jpg'],
    ['[fd00::1] (IPv6 unique local)', () => 'http://[fd00::1]/art.jpg'],
    ['[::] (unspecified)', () => `http://[::]:${port()}/good.jpg`],
  ];
  for (const [name, url] of addressCases) {
    it(`refuses ${name} with the loopback switch off: ADDRESS_REFUSED`, async () => {
      await expectRefused(strict, url(), 'ADDRESS_REFUSED');
      expect(loopbackImages.hits.size).to.equal(0);
    });
  }

  it('refuses file:// and ftp:// URLs: SCHEME_NOT_ALLOWED', async () => {
    await expectRefused(strict, 'file:///etc/passwd', 'SCHEME_NOT_ALLOWED');
    await expectRefused(strict, `ftp://127.0.0.2:${images.port}/good.jpg`, 'SCHEME_NOT_ALLOWED');
  });

  it('refuses a host not on the allow-list: HOST_NOT_ALLOWED', async () => {
    await expectRefused(open, 'http://art.attacker.example/cover.jpg', 'HOST_NOT_ALLOWED');
  });

  const redirectCases: Array<[string, () => string, string]> = [
    ['127.0.0.1', () => `http://127.0.0.1:${port()}/good.jpg`, 'ADDRESS_REFUSED'],
    ['169.254.169.254', () => 'http://169.254.169.254/computeMetadata/v1/', 'ADDRESS_REFUSED'],
    ['[::1]', () => `http://[::1]:${port()}/good.jpg`, 'ADDRESS_REFUSED'],
    ['10.0.0.1', () => 'http://10.0.0.1/art.jpg', 'ADDRESS_REFUSED'],
    ['file:///etc/passwd', () => 'file:///etc/passwd', 'SCHEME_NOT_ALLOWED'],
    ['a host off the allow-list', () => 'http://art.attacker.example/cover.jpg', 'HOST_NOT_ALLOWED'],
  ];
  for (const [name, target, code] of redirectCases) {
    it(`refuses a redirect to ${name}: ${code}`, async () => {
      await expectRefused(open, `${images.url}/redirect?to=${encodeURIComponent(target())}`, code);
      expect(loopbackImages.hits.size).to.equal(0);
    });
  }

  it('stops after 3 redirects: TOO_MANY_REDIRECTS', async () => {
    await expectRefused(open, `${images.url}/loop`, 'TOO_MANY_REDIRECTS');
    expect(images.hits.get('/loop')).to.equal(4);
  });

  const contentCases: Array<[string, string, string]> = [
    ['an HTML page served as image/jpeg', '/page.jpg', 'NOT_AN_IMAGE'],
    ['a PNG declaring 30000x30000 pixels', '/bomb.png', 'TOO_MANY_PIXELS'],
    ['a truncated JPEG', '/truncated.jpg', 'CORRUPT_IMAGE'],
    ['the EICAR test file', '/eicar.jpg', 'VIRUS_DETECTED'],
    ['a 50 MB body', '/huge.jpg', 'TOO_LARGE'],
    ['a 404', '/missing.jpg', 'SOURCE_NOT_FOUND'],
    ['a server sending one byte per second (after the retries)', '/slow.jpg', 'DEADLINE_EXCEEDED'],
  ];
  for (const [name, route, code] of contentCases) {
    it(`refuses ${name}: ${code}`, async () => {
      await expectRefused(open, `${images.url}${route}`, code);
    });
  }

  it('scans a download that matches a stored cover before reusing it: the cover with EICAR after it is VIRUS_DETECTED', async () => {
    const cover = await seedPendingSong(`${images.url}/good.jpg`);
    expect(await deliver(open.url, cover)).to.equal(204);
    expect((await albumArtOf(cover.assetId))?.status).to.equal('stored');
    // The same image, so the same content address once the bytes after its end are cut.
    images.add('/good-then-eicar.jpg', Buffer.concat([images.fixtures.jpeg, Buffer.from(EICAR)]));
    await expectRefused(open, `${images.url}/good-then-eicar.jpg`, 'VIRUS_DETECTED');
  });

  it('retries a transient failure, counting attempts, before it fails', async () => {
    const job = await seedPendingSong(`${images.url}/slow.jpg?retry`);
    expect(await deliver(open.url, job)).to.equal(500);
    const between = await albumArtOf(job.assetId);
    expect(between?.status).to.equal('processing');
    expect(between?.attempts).to.equal(1);
    await deliver(open.url, job);
    const after = await albumArtOf(job.assetId);
    expect(after?.error).to.deep.include({ code: 'DEADLINE_EXCEEDED', attempts: 2 });
    // A late redelivery of the failed job changes nothing and is acknowledged.
    expect(await deliver(open.url, job)).to.equal(204);
    expect(await albumArtOf(job.assetId)).to.deep.equal(after);
  });
});
