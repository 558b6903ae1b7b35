/**
 * Serves the filesystem blob store over HTTP on the local stack, so that the public URLs the API
 * records (gcpStorageUrl, album-art variants) open in a browser as they would from Cloud Storage.
 */
import http from 'node:http';
import { FsBlobStore } from '../../functions/adapters/blob-store/fs-blob-store.js';

/**
 * With `servedPrefixes`, only names under them are served (anything else is 404), as the CDN serves
 * only the album-art variants: its reader may read `album-art/variants/` and nothing else (infra/cdn.tf).
 */
export function startBlobHttpServer(directory: string, port: number, publicBaseUrl: string, servedPrefixes?: readonly string[]): Promise<http.Server> {
  const store = new FsBlobStore(directory, publicBaseUrl);
  const server = http.createServer((request, response) => {
    void (async () => {
      const name = decodeURIComponent((request.url ?? '/').split('?')[0]!.replace(/^\/+/, ''));
      const served = !servedPrefixes || servedPrefixes.some((prefix) => name.startsWith(prefix));
      let headers: Awaited<ReturnType<FsBlobStore['headers']>>;
      let body: Buffer | undefined;
      try {
        headers = served ? await store.headers(name) : undefined;
        body = headers ? await store.read(name) : undefined;
      } catch {
        // An unsafe or unreadable name is simply not there.
        headers = undefined;
      }
      if (!headers || !body || (request.method !== 'GET' && request.method !== 'HEAD')) {
        response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
        return;
      }
      response.writeHead(200, {
        'Content-Type': headers.contentType,
        'Content-Length': body.length,
        // The stored type is what the bytes are (the API sniffed them); a browser must not guess another.
        'X-Content-Type-Options': 'nosniff',
        'Access-Control-Allow-Origin': '*',
        ...(headers.contentDisposition ? { 'Content-Disposition': headers.contentDisposition } : {}),
        ...(headers.cacheControl ? { 'Cache-Control': headers.cacheControl } : {}),
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    })();
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
