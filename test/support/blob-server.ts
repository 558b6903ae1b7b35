/**
 * The local blob server (the one `npm start` runs) over a suite's API blob directory, for the
 * enclosing `describe`: a stored file is fetched by its path, with the headers a browser would get.
 */
import type { Server } from 'node:http';
import { startBlobHttpServer } from '../../scripts/lib/blob-http-server.js';
import { freePort } from '../../scripts/lib/free-port.js';
import type { ApiServer } from './api-server.js';

export interface BlobServer {
  /** The object behind a URL the API handed out (its base is the API's, which nothing serves), as served. */
  fetch(storedUrl: string): Promise<Response>;
}

export function useBlobServer(api: ApiServer): BlobServer {
  let server: Server | undefined;
  let base: string | undefined;
  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await startBlobHttpServer(api.blobDirectory, port, base);
  });
  after(() => server?.close());
  return { fetch: (storedUrl) => fetch(`${base}${new URL(storedUrl).pathname}`) };
}
