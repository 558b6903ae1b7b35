/** The album-art processor over fakes of its ports, downloading from the local image server. */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { AlbumArtProcessor } from '../../functions/album-art/album-art-processor.js';
import { originalName } from '../../functions/album-art/object-names.js';
import type { Resolver } from '../../functions/album-art/safe-download.js';
import type { Metrics } from '../../functions/domain/ports/metrics.js';
import { ScannerUnavailableError, type ScanResult, type VirusScanner } from '../../functions/domain/ports/virus-scanner.js';
import type { AlbumArt } from '../../functions/domain/schemas/album-art.js';
import { createLogger } from '../../functions/platform/logger.js';
import { InMemoryAlbumArtStore } from '../support/fakes/in-memory-album-art-store.js';
import { InMemoryBlobStore } from '../support/fakes/in-memory-blob-store.js';
import { InMemoryFeatureFlags } from '../support/fakes/in-memory-feature-flags.js';
import { InMemoryHostRateLimiter } from '../support/fakes/in-memory-host-rate-limiter.js';
import { startImageServer, type ImageServer } from '../support/image-server.js';

const noMetrics: Metrics = { count: () => undefined, observe: () => undefined };
const toImageServer: Resolver = () => Promise.resolve([{ address: '127.0.0.2', family: 4 }]);
const MAX_ATTEMPTS = 2;

/** A scanner answering what the test says: clean, a signature, or unreachable. */
class ScriptedScanner implements VirusScanner {
  answer: ScanResult | 'down' = { clean: true };
  scans = 0;
  scan(): Promise<ScanResult> {
    this.scans++;
    return this.answer === 'down' ? Promise.reject(new ScannerUnavailableError('clamd is not answering')) : Promise.resolve(this.answer);
  }
}

const pending = (jobId: string, sourceUrl: string): AlbumArt => ({ source: 'iTunes', sourceUrl, status: 'pending', jobId });

describe('album art: the processor over fakes (album-art store, blob store, scanner, rate limiter)', function () {
  this.timeout(30_000);
  let images: ImageServer;
  before(async () => {
    images = await startImageServer('127.0.0.2');
  });
  after(async () => images?.close());

  function world() {
    const albumArt = new InMemoryAlbumArtStore();
    const blobs = new InMemoryBlobStore();
    const flags = new InMemoryFeatureFlags();
    const scanner = new ScriptedScanner();
    const processor = new AlbumArtProcessor({
      albumArt,
      blobStore: blobs,
      flags,
      metrics: noMetrics,
      logger: createLogger('ERROR'),
      policy: {
        allowedHosts: ['art.example.test'],
        loopbackSources: ['127.0.0.2'],
        maxBytes: 1024 * 1024,
        connectTimeoutMs: 2000,
        idleTimeoutMs: 2000,
        deadlineMs: 5000,
      },
      maxPixels: 50_000_000,
      maxAttempts: MAX_ATTEMPTS,
      leaseMs: 60_000,
      scanner,
      rateLimiter: new InMemoryHostRateLimiter(0),
      resolve: toImageServer,
    });
    const url = (path: string) => `http://art.example.test:${images.port}${path}`;
    const job = (assetId: string, path = '/good.jpg', jobId = `job-${assetId}`) => {
      albumArt.put(assetId, { name: `G.POP.TEN.00${assetId.length}`, albumArt: pending(jobId, url(path)) });
      return { assetId, sourceUrl: url(path), requestId: jobId };
    };
    return { albumArt, blobs, flags, scanner, processor, job };
  }

  it('stores a scanned original once, create-only and private, and records it on the asset as stored', async () => {
    const { albumArt, blobs, scanner, processor, job } = world();
    expect(await processor.process(job('a1'))).to.equal('stored');
    const sha256 = createHash('sha256').update(images.fixtures.jpeg).digest('hex');
    expect(blobs.names()).to.deep.equal([originalName(sha256)]);
    expect(blobs.headersOf(originalName(sha256))).to.deep.equal({ contentType: 'image/jpeg', cacheControl: 'private, no-store' });
    expect(await blobs.stat(originalName(sha256))).to.have.nested.property('metadata.scanned', 'true');
    const stored = await albumArt.current('a1');
    expect(stored).to.deep.include({ status: 'stored', sha256, scanned: true, attempts: 1 });
    expect(stored!.original).to.include({ sha256, contentType: 'image/jpeg', bytes: images.fixtures.jpeg.length });
    expect(stored).to.not.have.property('lease');
    expect(scanner.scans).to.equal(1);
  });

  it('reuses the original another asset stored with the same image, scanning the download still', async () => {
    const { albumArt, blobs, scanner, processor, job } = world();
    await processor.process(job('a1'));
    expect(await processor.process(job('a2'))).to.equal('stored');
    expect(blobs.names()).to.have.length(1);
    expect(scanner.scans).to.equal(2);
    expect((await albumArt.current('a2'))!.statusHistory!.at(-1)).to.include({ status: 'stored', note: 'reused-original' });
  });

  it('fails a download the scanner finds a virus in, storing nothing', async () => {
    const { albumArt, blobs, scanner, processor, job } = world();
    scanner.answer = { clean: false, signature: 'Eicar-Test-Signature' };
    expect(await processor.process(job('a1'))).to.equal('failed');
    expect(blobs.names()).to.deep.equal([]);
    expect(await albumArt.current('a1')).to.deep.include({ status: 'failed' });
    expect((await albumArt.current('a1'))!.error).to.include({ code: 'VIRUS_DETECTED', attempts: 1 });
  });

  it('gives the claim back when the scanner is down so that the redelivery works at once, and fails the job at its last attempt', async () => {
    const { albumArt, scanner, processor, job } = world();
    scanner.answer = 'down';
    const first = job('a1');
    expect(
      await processor.process(first).then(
        () => 'resolved',
        (error: { code?: string }) => error.code,
      ),
    ).to.equal('SCANNER_UNAVAILABLE');
    expect(await albumArt.current('a1')).to.deep.include({ status: 'processing', attempts: 1 });
    expect(await albumArt.current('a1')).to.not.have.property('lease');
    expect(
      await processor.process(first).then(
        () => 'resolved',
        (error: { code?: string }) => error.code,
      ),
    ).to.equal('SCANNER_UNAVAILABLE');
    expect(await albumArt.current('a1')).to.deep.include({ status: 'failed' });
    expect((await albumArt.current('a1'))!.error).to.include({ code: 'SCANNER_UNAVAILABLE', attempts: MAX_ATTEMPTS });
  });

  it('acknowledges without work a job whose pipeline is off, or that is not the asset current one', async () => {
    const { albumArt, flags, processor, job } = world();
    const current = job('a1');
    flags.set('ALBUM_ART_PIPELINE', false);
    expect(await processor.process(current)).to.equal('skipped');
    expect(await albumArt.current('a1')).to.have.property('status', 'pending');
    flags.set('ALBUM_ART_PIPELINE', undefined);
    expect(await processor.process({ ...current, requestId: 'an-older-job' })).to.equal('skipped');
    expect(await processor.process({ ...current, assetId: 'gone' })).to.equal('skipped');
    expect(await albumArt.current('a1')).to.have.property('status', 'pending');
  });
});
