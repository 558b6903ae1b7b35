/** The downloader in-process against the local image server: the pinned connection and the limits. */
import { expect } from 'chai';
import { AlbumArtJobError } from '../../functions/album-art/job-errors.js';
import { safeDownload, type DownloadPolicy, type Resolver } from '../../functions/album-art/safe-download.js';
import { startImageServer, type ImageServer } from '../support/image-server.js';

describe('album-art safe download', function () {
  this.timeout(30_000);
  let images: ImageServer;
  before(async () => {
    images = await startImageServer('127.0.0.2');
  });
  after(async () => images?.close());

  const policy: DownloadPolicy = {
    allowedHosts: ['art.example.test'],
    loopbackSources: ['127.0.0.2'],
    maxBytes: 1024 * 1024,
    connectTimeoutMs: 1000,
    idleTimeoutMs: 1000,
    deadlineMs: 3000,
  };

  it('connects to the address it checked, not to what DNS answers next (no rebinding window)', async () => {
    const answers = ['127.0.0.2', '127.0.0.1'];
    const lookups: string[] = [];
    // The first answer is checked; a second lookup (which a rebinding attacker would aim at) never happens.
    const rebinding: Resolver = async (hostname) => {
      lookups.push(hostname);
      return [{ address: answers.shift()!, family: 4 }];
    };
    const result = await safeDownload(`http://art.example.test:${images.port}/good.jpg`, policy, { resolve: rebinding });
    expect(result.bytes.equals(images.fixtures.jpeg)).to.equal(true);
    expect(lookups).to.deep.equal(['art.example.test']);
  });

  it('checks the host of every redirect, and asks the rate limiter before every request', async () => {
    const resolve: Resolver = async () => [{ address: '127.0.0.2', family: 4 }];
    const hosts: string[] = [];
    const target = `http://art.example.test:${images.port}/good.png`;
    const result = await safeDownload(`http://art.example.test:${images.port}/redirect?to=${encodeURIComponent(target)}`, policy, {
      resolve,
      beforeRequest: async (host) => void hosts.push(host),
    });
    expect(result.bytes.equals(images.fixtures.png)).to.equal(true);
    expect(hosts).to.deep.equal(['art.example.test', 'art.example.test']);
  });

  it('refuses a body over the cap while it streams', async () => {
    const resolve: Resolver = async () => [{ address: '127.0.0.2', family: 4 }];
    const error = await safeDownload(`http://art.example.test:${images.port}/huge.jpg`, policy, { resolve }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).to.be.instanceOf(AlbumArtJobError);
    expect((error as AlbumArtJobError).code).to.equal('TOO_LARGE');
  });
});
