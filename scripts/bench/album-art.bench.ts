/**
 * The album-art processor's own work per job, in process, on a 600x600 JPEG served from loopback:
 * the checked download, the byte and pixel validation with a full decode, and the decompression-bomb
 * refusal (which must cost about nothing: the header alone decides).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { validateImage } from '../../functions/album-art/image-validation.js';
import { AlbumArtJobError } from '../../functions/album-art/job-errors.js';
import { safeDownload, type DownloadPolicy } from '../../functions/album-art/safe-download.js';
import { percentile, writeResult, type BenchResult } from './bench-report.js';

const RUNS = 200;
const WARMUP = 20;
const MAX_PIXELS = 40_000_000;

async function time(action: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** A PNG header declaring 30000x30000 (the rest of the file does not matter to the check). */
async function bombPng(): Promise<Buffer> {
  const small = await sharp({ create: { width: 1, height: 1, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toBuffer();
  const bomb = Buffer.from(small);
  // IHDR: length (8..11), type (12..15), width (16..19), height (20..23), ..., CRC (29..32).
  bomb.writeUInt32BE(30_000, 16);
  bomb.writeUInt32BE(30_000, 20);
  bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)), 29);
  return bomb;
}

export async function runAlbumArtBench(): Promise<BenchResult> {
  // Noise makes the file as large as real artwork of that size (a flat colour compresses to nothing).
  const jpeg = await sharp({ create: { width: 600, height: 600, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .jpeg({ quality: 90 })
    .toBuffer();
  const server = http.createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': jpeg.length }).end(jpeg));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
  const port = (server.address() as { port: number }).port;
  const policy: DownloadPolicy = {
    allowedHosts: ['art.bench.test'],
    loopbackSources: ['127.0.0.2'],
    maxBytes: 10 * 1024 * 1024,
    connectTimeoutMs: 5000,
    idleTimeoutMs: 5000,
    deadlineMs: 30_000,
  };
  const resolve = async () => [{ address: '127.0.0.2', family: 4 as const }];
  const url = `http://art.bench.test:${port}/cover.jpg`;
  const bomb = await bombPng();
  const download: number[] = [];
  const validate: number[] = [];
  const whole: number[] = [];
  const bombRefusal: number[] = [];
  try {
    for (let run = 0; run < WARMUP + RUNS; run++) {
      let bytes: Buffer = Buffer.alloc(0);
      const downloadMs = await time(async () => void ({ bytes } = await safeDownload(url, policy, { resolve })));
      const validateMs = await time(async () => {
        await validateImage(bytes, MAX_PIXELS);
        createHash('sha256').update(bytes).digest('hex');
      });
      const bombMs = await time(() =>
        validateImage(bomb, MAX_PIXELS).then(
          () => {
            throw new Error('the bomb was accepted');
          },
          (error: unknown) => {
            if (!(error instanceof AlbumArtJobError) || error.code !== 'TOO_MANY_PIXELS') throw error;
          },
        ),
      );
      if (run < WARMUP) continue;
      download.push(downloadMs);
      validate.push(validateMs);
      whole.push(downloadMs + validateMs);
      bombRefusal.push(bombMs);
    }
  } finally {
    server.close();
  }
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  return writeResult('album-art', '4', `Album-art processing steps in process, ${RUNS} runs on a 600x600 JPEG (${jpeg.length} bytes) from loopback`, [
    { name: 'checked download p50', value: percentile(sorted(download), 0.5), unit: 'ms' },
    { name: 'validation (file-type, header, full decode, sha256) p50', value: percentile(sorted(validate), 0.5), unit: 'ms' },
    { name: 'download + validation p95', value: percentile(sorted(whole), 0.95), unit: 'ms', goal: { comparison: '<=', target: 500 } },
    { name: '30000x30000 PNG refusal p95', value: percentile(sorted(bombRefusal), 0.95), unit: 'ms', goal: { comparison: '<=', target: 50 }, note: 'decided from the header, nothing decoded' },
  ]);
}
