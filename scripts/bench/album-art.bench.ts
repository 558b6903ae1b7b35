/**
 * The album-art processor's own work per job, in process, on a 600x600 JPEG served from loopback:
 * the checked download, the byte and pixel validation with a full decode, and the decompression-bomb
 * refusal (which must cost about nothing: the header alone decides). Then the whole pipeline against
 * the Firestore emulator: request to `ready` for a fresh cover and for a cover already
 * stored (reused original and variant set), and 10 simultaneous deliveries of one job against one.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { validateImage } from '../../functions/album-art/image-validation.js';
import { AlbumArtJobError } from '../../functions/album-art/job-errors.js';
import { safeDownload, type DownloadPolicy } from '../../functions/album-art/safe-download.js';
import { Firestore } from '@google-cloud/firestore';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { startEmulators } from '../lib/emulators.js';
import { BenchPipeline } from './album-art-pipeline.js';
import { median, percentile, writeResult, type BenchResult, type Figure } from './bench-report.js';

const RUNS = 200;
/** Request-to-ready runs per path, and burst/single pairs: a few minutes on a busy 2-core machine. */
const PIPELINE_RUNS = Number(process.env['ALBUM_ART_BENCH_RUNS'] ?? 20);
const BURST_PAIRS = 5;
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
  // /cover.jpg is the fixed cover; /distinct/<n>.jpg is a cover of its own per n (fresh bytes).
  const distinct = new Map<string, Buffer>();
  const server = http.createServer((request, response) => {
    const body = distinct.get(request.url ?? '') ?? jpeg;
    response.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': body.length }).end(body);
  });
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
  let pipelineFigures: Figure[];
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
    pipelineFigures = await measurePipeline(policy, `http://art.bench.test:${port}`, distinct);
  } finally {
    server.close();
  }
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  return writeResult('album-art', 'album-art pipeline', `Album-art processing steps in process, ${RUNS} runs on a 600x600 JPEG (${jpeg.length} bytes) from loopback; then the pipeline (processor, storage event, variant generator) against the Firestore emulator, ${PIPELINE_RUNS} requests per path and ${BURST_PAIRS} burst/single pairs, scan off`, [
    ...pipelineFigures,
    { name: 'checked download p50', value: percentile(sorted(download), 0.5), unit: 'ms' },
    { name: 'validation (file-type, header, full decode, sha256) p50', value: percentile(sorted(validate), 0.5), unit: 'ms' },
    { name: 'download + validation p95', value: percentile(sorted(whole), 0.95), unit: 'ms', goal: { comparison: '<=', target: 500 } },
    { name: '30000x30000 PNG refusal p95', value: percentile(sorted(bombRefusal), 0.95), unit: 'ms', goal: { comparison: '<=', target: 50 }, note: 'decided from the header, nothing decoded' },
  ]);
}

/** A 600x600 cover of its own: noise seeded by n, so every n has different bytes. */
async function distinctCover(n: number): Promise<Buffer> {
  return sharp({ create: { width: 600, height: 600, channels: 3, background: { r: n % 256, g: (n * 7) % 256, b: (n * 13) % 256 }, noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function measurePipeline(policy: DownloadPolicy, base: string, distinct: Map<string, Buffer>): Promise<Figure[]> {
  const emulators = await startEmulators(path.join(mkdtempSync(path.join(os.tmpdir(), 'nna-bench-art-logs-')), 'logs'));
  process.env['FIRESTORE_EMULATOR_HOST'] = emulators.firestore.host;
  const db = new Firestore({ projectId: 'nna-bench' });
  const resolve = async () => [{ address: '127.0.0.2', family: 4 as const }];
  try {
    const pipeline = new BenchPipeline(db, policy, resolve);
    let next = 0;
    const freshUrl = async (): Promise<string> => {
      const key = `/distinct/${next}.jpg`;
      distinct.set(key, await distinctCover(next++));
      return `${base}${key}`;
    };
    /** Request written -> the processor's delivery -> storage event -> `ready`, in ms. */
    const toReady = async (sourceUrl: string): Promise<number> => {
      const job = await pipeline.request(sourceUrl);
      const started = performance.now();
      await pipeline.processor.process(job);
      const art = await pipeline.settle(job.assetId);
      if (art.status !== 'ready') throw new Error(`a bench job ended ${art.status}`);
      return performance.now() - started;
    };
    const stored = await freshUrl();
    await toReady(stored);
    await toReady(await freshUrl()); // warm-up of the fresh path
    const fresh: number[] = [];
    const reused: number[] = [];
    // Interleaved, so that load on the machine weighs on both paths alike.
    for (let run = 0; run < PIPELINE_RUNS; run++) {
      fresh.push(await toReady(await freshUrl()));
      reused.push(await toReady(stored));
    }
    const single: number[] = [];
    const burst: number[] = [];
    const attempts: number[] = [];
    for (let pair = 0; pair < BURST_PAIRS; pair++) {
      single.push(await toReady(await freshUrl()));
      const job = await pipeline.request(await freshUrl());
      const started = performance.now();
      await Promise.all(Array.from({ length: 10 }, () => pipeline.processor.process(job)));
      const art = await pipeline.settle(job.assetId);
      burst.push(performance.now() - started);
      attempts.push(art.attempts);
    }
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    const freshP50 = percentile(sorted(fresh), 0.5);
    const reusedP50 = percentile(sorted(reused), 0.5);
    return [
      { name: 'request to ready, fresh cover p50', value: freshP50, unit: 'ms' },
      { name: 'request to ready, fresh cover p95', value: percentile(sorted(fresh), 0.95), unit: 'ms' },
      { name: 'request to ready, cover already stored p50', value: reusedP50, unit: 'ms' },
      { name: 'request to ready, cover already stored p95', value: percentile(sorted(reused), 0.95), unit: 'ms' },
      { name: 'stored cover / fresh cover (p50)', value: reusedP50 / freshP50, unit: 'x', goal: { comparison: '<=', target: 0.2 }, note: 'no scan, validation, store or render on reuse' },
      { name: '1 delivery to ready (median)', value: median(single), unit: 'ms' },
      { name: '10 simultaneous deliveries of one job to ready (median)', value: median(burst), unit: 'ms' },
      { name: '10 deliveries / 1 delivery', value: median(burst) / median(single), unit: 'x', goal: { comparison: '<=', target: 2 } },
      { name: 'attempts recorded after 10 simultaneous deliveries (max)', value: Math.max(...attempts), unit: '', goal: { comparison: '<=', target: 1 } },
    ];
  } finally {
    await db.terminate();
    await emulators.stop();
  }
}
