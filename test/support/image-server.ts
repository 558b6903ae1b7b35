/**
 * A hostile-and-friendly image server on a loopback address, with fixtures made by sharp at test
 * time: good JPEG/PNG/WebP, HTML served as image/jpeg, a PNG declaring 30000x30000, a truncated
 * JPEG, EICAR, a 50 MB body, one byte per second, 404, 500-then-200, and redirects anywhere.
 */
import http from 'node:http';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { EICAR } from './clamd.js';

export interface ImageServer {
  /** `http://<host>:<port>` */
  url: string;
  host: string;
  port: number;
  /** How many requests each path received. */
  hits: Map<string, number>;
  fixtures: Record<'jpeg' | 'png' | 'webp', Buffer>;
  /** Serves `body` as image/jpeg at `path` from now on, after `delayMs` (a download in progress). */
  add(path: string, body: Buffer, options?: { delayMs?: number; contentType?: string }): void;
  close(): Promise<void>;
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid PNG whose header declares 30000x30000 pixels over a few bytes of data. */
function pixelBombPng(size = 30_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(size + 1))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

async function makeFixtures(): Promise<ImageServer['fixtures']> {
  const base = sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 40, b: 90 } } });
  return {
    jpeg: await base.clone().jpeg().toBuffer(),
    png: await base.clone().png().toBuffer(),
    webp: await base.clone().webp().toBuffer(),
  };
}

export async function startImageServer(host = '127.0.0.2'): Promise<ImageServer> {
  const fixtures = await makeFixtures();
  const bigJpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 10, g: 20, b: 30 } } })
    .jpeg()
    .toBuffer();
  const hits = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const added = new Map<string, { body: Buffer; delayMs: number; contentType: string }>();
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const key = `${url.pathname}${url.search}`;
    const count = (hits.get(key) ?? 0) + 1;
    hits.set(key, count);
    const send = (type: string, body: Buffer | string): void => {
      response.writeHead(200, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) }).end(body);
    };
    const extra = added.get(url.pathname);
    if (extra) {
      const timer = setTimeout(() => send(extra.contentType, extra.body), extra.delayMs);
      timers.add(timer);
      return;
    }
    switch (url.pathname) {
      case '/good.jpg':
        return send('image/jpeg', fixtures.jpeg);
      case '/good.png':
        return send('image/png', fixtures.png);
      case '/good.webp':
        return send('image/webp', fixtures.webp);
      case '/mislabelled.png':
        return send('application/octet-stream', fixtures.png);
      case '/page.jpg':
        return send('image/jpeg', '<!doctype html><html><head><title>Not an image</title></head><body>hello</body></html>');
      case '/bomb.png':
        return send('image/png', pixelBombPng());
      case '/truncated.jpg':
        return send('image/jpeg', bigJpeg.subarray(0, Math.floor(bigJpeg.length / 2)));
      case '/eicar.jpg':
        return send('image/jpeg', EICAR);
      case '/huge.jpg': {
        // 50 MB without a Content-Length: the cap must hold while streaming.
        response.writeHead(200, { 'Content-Type': 'image/jpeg' });
        const chunk = Buffer.alloc(1024 * 1024, 0xff);
        let sent = 0;
        const pump = (): void => {
          while (sent < 50 && !response.destroyed) {
            sent++;
            if (!response.write(chunk)) return void response.once('drain', pump);
          }
          if (!response.destroyed) response.end();
        };
        response.on('error', () => undefined);
        return pump();
      }
      case '/slow.jpg': {
        response.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': fixtures.jpeg.length });
        let offset = 0;
        const timer = setInterval(() => {
          if (response.destroyed || offset >= fixtures.jpeg.length) return void clearInterval(timer);
          response.write(fixtures.jpeg.subarray(offset, offset + 1));
          offset++;
        }, 1000);
        timers.add(timer);
        response.on('close', () => clearInterval(timer));
        return;
      }
      case '/flaky.jpg':
        if (count === 1) return void response.writeHead(500, { 'Content-Type': 'text/plain' }).end('try again');
        return send('image/jpeg', fixtures.jpeg);
      case '/always-500.jpg':
        return void response.writeHead(503, { 'Content-Type': 'text/plain' }).end('down');
      case '/redirect':
        return void response.writeHead(302, { Location: url.searchParams.get('to') ?? '/' }).end();
      case '/loop':
        return void response.writeHead(302, { Location: '/loop' }).end();
      default:
        return void response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${host}:${port}`,
    host,
    port,
    hits,
    fixtures,
    add: (path, body, options = {}) => void added.set(path, { body, delayMs: options.delayMs ?? 0, contentType: options.contentType ?? 'image/jpeg' }),
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
