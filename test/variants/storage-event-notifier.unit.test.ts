/** The local stand-in for Eventarc: the CloudEvent it posts, and writes that never wait on delivery. */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createBlobStore } from '../../functions/adapters/blob-store/create-blob-store.js';
import { StorageEventNotifier } from '../../functions/adapters/blob-store/storage-event-notifier.js';
import { loadConfig } from '../../functions/platform/config.js';
import { createLogger } from '../../functions/platform/logger.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { TEST_OUTPUT } from '../support/test-environment.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

function storeFor(url: string, logLines: string[] = []) {
  const env = {
    DEPLOY_ENV: 'test',
    FIRESTORE_EMULATOR_HOST: '127.0.0.1:1',
    BLOB_DIR: mkdtempSync(path.join(TEST_OUTPUT, 'notifier-')),
    STORAGE_EVENTS_URL: url,
  };
  return createBlobStore(
    loadConfig(env),
    'albumArt',
    createLogger('INFO', {}, (line) => logLines.push(line)),
  );
}

describe('local storage events', function () {
  this.timeout(30_000);

  it('posts a binary-mode finalized CloudEvent with the object resource, as Eventarc does', async () => {
    const received: Received[] = [];
    const server = http.createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        received.push({ headers: request.headers, body: JSON.parse(text) as Record<string, unknown> });
        response.writeHead(204).end();
      });
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const store = storeFor(`http://127.0.0.1:${port}/`);
      await store.write('album-art/a1/x/original.png', Buffer.from('png bytes'), {
        contentType: 'image/png',
        cacheControl: 'public, max-age=31536000, immutable',
        metadata: { assetId: 'a1', jobId: 'j1' },
      });
      const deadline = Date.now() + 10_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(received).to.have.length(1);
      const { headers, body } = received[0]!;
      expect(headers).to.include({
        'ce-specversion': '1.0',
        'ce-type': 'google.cloud.storage.object.v1.finalized',
        'ce-source': '//storage.googleapis.com/projects/_/buckets/nna-registry-album-art',
        'ce-subject': 'objects/album-art/a1/x/original.png',
        'content-type': 'application/json',
      });
      expect(headers['ce-id']).to.be.a('string').and.not.equal('');
      expect(Number.isNaN(Date.parse(String(headers['ce-time'])))).to.equal(false);
      expect(body).to.include({
        kind: 'storage#object',
        bucket: 'nna-registry-album-art',
        name: 'album-art/a1/x/original.png',
        contentType: 'image/png',
        size: '9',
        cacheControl: 'public, max-age=31536000, immutable',
        md5Hash: 'hHvuBc4iHuIFFvSFgeRDEw==',
      });
      expect(body['metadata']).to.deep.equal({ assetId: 'a1', jobId: 'j1' });
      expect(body['generation']).to.match(/^\d+$/);
    } finally {
      server.close();
    }
  });

  it('finishes the write when nobody listens', async () => {
    const store = storeFor(`http://127.0.0.1:${await freePort()}/`);
    const info = await store.write('album-art/a2/x/original.jpg', Buffer.from('jpeg bytes'), { contentType: 'image/jpeg', metadata: { jobId: 'j2' } });
    expect(info.size).to.equal(10);
    expect((await store.read('album-art/a2/x/original.jpg'))!.toString()).to.equal('jpeg bytes');
  });

  it('retries an event nobody takes, then logs it undelivered', async () => {
    const logLines: string[] = [];
    const url = `http://127.0.0.1:${await freePort()}/`;
    // The store's own notifier waits 200 ms, doubling, between attempts; the same notifier here waits 1 ms.
    const notifier = new StorageEventNotifier({ url, bucket: 'album-art', logger: createLogger('INFO', {}, (line) => logLines.push(line)), firstBackoffMs: 1 });
    const blob = { name: 'album-art/a2/x/original.jpg', size: 10, contentType: 'image/jpeg', metadata: {}, url: 'http://blobs.test/original.jpg' };
    await notifier.notify(blob, {});
    const warning = JSON.parse(logLines.find((line) => line.includes('storage event not delivered'))!) as Record<string, unknown>;
    expect(warning).to.include({ severity: 'WARNING', object: blob.name, attempts: 5 });
  });
});
