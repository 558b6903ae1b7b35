/**
 * What the Cloud Storage adapter asks of Cloud Storage for an upload, seen on the wire: the real
 * @google-cloud/storage client is pointed at a local endpoint that records its requests and answers
 * as the JSON API does (no Cloud Storage emulator runs on this machine). An upload reaching its final
 * name must be served with its recognised type, and sniffing must read only the first bytes.
 */
import { Storage } from '@google-cloud/storage';
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GcsBlobStore } from '../../functions/adapters/blob-store/gcs-blob-store.js';

interface Recorded {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('the Cloud Storage blob store (requests on the wire)', () => {
  let server: http.Server;
  let recorded: Recorded[];
  let store: GcsBlobStore;

  before(async () => {
    server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://x');
        recorded.push({ method: request.method ?? '', path: url.pathname, headers: request.headers, body });
        const object = decodeURIComponent(url.pathname.split('/o/').at(-1) ?? '');
        if (url.pathname.includes('/rewriteTo/')) {
          const resource = { kind: 'storage#object', bucket: 'assets', name: object, size: '3', ...(JSON.parse(body || '{}') as object) };
          response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ kind: 'storage#rewriteResponse', done: true, resource }));
        } else if (request.method === 'DELETE') {
          response.writeHead(204).end();
        } else if (url.searchParams.get('alt') === 'media') {
          response.writeHead(206, { 'Content-Type': 'application/octet-stream', 'Content-Range': 'bytes 0-3/10' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
        } else {
          const metadata = { kind: 'storage#object', bucket: 'assets', name: object, size: '3', contentType: 'image/png', contentDisposition: 'attachment' };
          response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(metadata));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    store = new GcsBlobStore('assets', 'https://files.test', new Storage({ apiEndpoint: endpoint, projectId: 'test-project' }));
  });
  beforeEach(() => (recorded = []));
  after(() => server?.close());

  it('moves an upload to its name with the recognised type and disposition in the rewrite, then deletes the staged object', async () => {
    await store.move('staging/abc', 'uploads/2026/x.json', { contentType: 'application/json', contentDisposition: 'attachment' });
    const rewrite = recorded.find((request) => request.path.includes('/rewriteTo/'));
    expect(rewrite?.path).to.match(/\/o\/staging%2Fabc\/rewriteTo\/b\/assets\/o\/uploads%2F2026%2Fx\.json$/);
    expect(JSON.parse(rewrite!.body)).to.deep.include({ contentType: 'application/json', contentDisposition: 'attachment' });
    expect(recorded.some((request) => request.method === 'DELETE' && request.path.endsWith('/o/staging%2Fabc'))).to.equal(true);
  });

  it('reads only the first bytes to sniff a staged upload', async () => {
    const head = await store.readHead('staging/abc', 4100);
    expect(head?.toString('latin1')).to.equal('\x89PNG');
    const download = recorded.find((request) => request.method === 'GET');
    expect(download?.headers['range']).to.equal('bytes=0-4099');
  });
});
