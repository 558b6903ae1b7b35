/**
 * Faults in the album-art pipeline: the blob store refuses writes. The job is retried (the function
 * answers an error, so Pub/Sub redelivers), never marked failed, nothing is half-written; once
 * storage accepts writes again the same message completes.
 */
import { expect } from 'chai';
import { originalName } from '../../functions/album-art/index.js';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { albumArtOf, deliver, seedPendingSong, startAlbumArtFunction, waitForStatus, type AlbumArtFunction } from '../support/album-art-stack.js';
import { startImageServer, type ImageServer } from '../support/image-server.js';

describe('fault: the blob store refuses writes during album-art processing', function () {
  this.timeout(120_000);
  let images: ImageServer;
  let processor: AlbumArtFunction;

  before(async function () {
    this.timeout(60_000);
    images = await startImageServer('127.0.0.2');
    processor = await startAlbumArtFunction({
      ALBUM_ART_ALLOWED_HOSTS: '127.0.0.2',
      ALBUM_ART_ALLOW_LOOPBACK_SOURCES: '127.0.0.2',
      ALBUM_ART_SCAN: 'off',
      ALBUM_ART_TEST_MAX_ATTEMPTS: '5',
    });
  });
  after(async () => Promise.all([processor?.stop(), images?.close()]));

  it('retries without failing the job or storing anything, then completes when storage returns', async () => {
    const bucket = path.join(processor.blobDirectory, 'album-art-bucket');
    mkdirSync(bucket, { recursive: true });
    // A file where the object's folder must go: every write under album-art/ fails (permissions
    // would not stop root, which the tests may run as).
    const blocker = path.join(bucket, 'album-art');
    writeFileSync(blocker, 'not a directory');
    const job = await seedPendingSong(`${images.url}/good.jpg`);

    const refused = await deliver(processor.url, job, 'message-1');
    expect(refused, 'the function answers an error so that Pub/Sub redelivers').to.be.at.least(500);
    const during = await albumArtOf(job.assetId);
    expect(during?.status).to.equal('processing');
    expect(during?.error).to.equal(undefined);
    expect(during?.original).to.equal(undefined);
    expect(readdirSync(bucket).filter((entry) => entry !== '.meta')).to.deep.equal(['album-art']);

    rmSync(blocker);
    const accepted = await deliver(processor.url, job, 'message-1');
    expect(accepted).to.be.within(200, 299);
    const stored = await waitForStatus(job.assetId, ['stored', 'failed']);
    expect(stored.status).to.equal('stored');
    expect(stored.statusHistory?.map((change) => change.status)).to.deep.equal(['pending', 'processing', 'stored']);
    expect(existsSync(path.join(bucket, originalName(stored.sha256!)))).to.equal(true);
  });
});
