/**
 * What request bodies cost the API's memory: sixteen concurrent maximal requests of each kind, one
 * kind after another and then all kinds at once, against one API process, with its peak resident
 * memory (VmHWM, reset before each phase) beside the deployment's 512 MiB. The kinds: anonymous
 * 29 MiB searches (with a Content-Length, and chunked without one), anonymous 29 MiB creates and
 * uploads, signed-in JSON creates of the largest valid asset, and signed-in uploads at the file cap
 * (MAX_REQUEST_BYTES). Every request's status is checked (413, 401, 201 as the limits say).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { largestValidAsset } from '../lib/largest-asset.js';
import { writeResult, type BenchResult, type Figure } from './bench-report.js';
import { startBenchStack } from './bench-stack.js';

const MIB = 1024 * 1024;
const CONCURRENCY = Number(process.env['BODY_BENCH_CONCURRENCY'] ?? 16);
/** The deployment's memory (cloudbuild.yaml) and the share of it the goal allows. */
const DEPLOYED_MIB = 512;
const GOAL_MIB = 0.75 * DEPLOYED_MIB;
/** Under Cloud Functions' own 32 MiB cap, as the report's requests were. */
const ANONYMOUS_BYTES = 29 * MIB;
const UPLOAD_CAP = 30 * MIB;
const EDITOR = 'Bearer dev:bench@example.com:editor';
const BOUNDARY = '----bench-body';

function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** Linux: writing 5 to clear_refs resets the peak resident set (VmHWM) to the current one. */
function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

interface Kind {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Sent without Content-Length, in 64 KiB chunks. */
  chunked?: boolean;
  expected: number;
}

/**
 * Kept-alive connections, as browsers and Google's front end use: the API answers a refused body
 * early and Node discards the rest as it arrives (with Connection: close it would close the socket
 * under the client still writing).
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/** One request to its answer. The API may answer before the body is sent: not an error here. */
function send(baseUrl: string, kind: Kind): Promise<number> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let status: number | undefined;
    const headers = kind.chunked ? kind.headers : { ...kind.headers, 'content-length': String(kind.body.length) };
    const request = http.request({ host: url.hostname, port: url.port, method: kind.method, path: kind.path, headers, agent }, (response) => {
      status = response.statusCode ?? 0;
      response.resume();
      response.on('end', () => resolve(status!));
    });
    request.on('error', (error) => (status !== undefined ? resolve(status) : reject(error)));
    if (kind.chunked) {
      const chunk = 64 * 1024;
      let offset = 0;
      const pump = (): void => {
        while (offset < kind.body.length) {
          const more = request.write(kind.body.subarray(offset, offset + chunk));
          offset += chunk;
          if (!more) {
            request.once('drain', pump);
            return;
          }
        }
        request.end();
      };
      pump();
    } else {
      request.end(kind.body);
    }
  });
}

function multipart(fields: Record<string, string>, file: Buffer): Buffer {
  const parts = Object.entries(fields).map(([name, value]) => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  const head = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="large.png"\r\nContent-Type: image/png\r\n\r\n`);
  return Buffer.concat([...parts, head, file, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
}

async function kinds(): Promise<Kind[]> {
  const json = { 'content-type': 'application/json' };
  const form = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
  const anonymousJson = Buffer.from(`{"search":"${'s'.repeat(ANONYMOUS_BYTES - 14)}"}`);
  const fields = { layer: 'S', category: 'POP', subcategory: 'BAS', description: 'bench upload' };
  const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#c33' } })
    .png()
    .toBuffer();
  const overhead = multipart(fields, Buffer.alloc(0)).length;
  const anonymousForm = multipart(fields, Buffer.concat([png, Buffer.alloc(ANONYMOUS_BYTES - overhead - png.length)]));
  const fullForm = multipart(fields, Buffer.concat([png, Buffer.alloc(UPLOAD_CAP - overhead - png.length)]));
  return [
    { name: 'anonymous 29 MiB searches (Content-Length)', method: 'POST', path: '/api/assets/search', headers: json, body: anonymousJson, expected: 413 },
    { name: 'anonymous 29 MiB searches (chunked)', method: 'POST', path: '/api/assets/search', headers: json, body: anonymousJson, chunked: true, expected: 413 },
    { name: 'anonymous 29 MiB JSON creates', method: 'POST', path: '/api/assets', headers: json, body: anonymousJson, expected: 401 },
    { name: 'anonymous 29 MiB uploads', method: 'POST', path: '/api/assets/upload', headers: form, body: anonymousForm, expected: 401 },
    {
      name: 'signed-in creates of the largest valid asset (JSON)',
      method: 'POST',
      path: '/api/assets',
      headers: { ...json, authorization: EDITOR },
      body: Buffer.from(JSON.stringify(largestValidAsset())),
      expected: 201,
    },
    { name: 'signed-in uploads at the file cap (30 MiB forms)', method: 'POST', path: '/api/assets', headers: { ...form, authorization: EDITOR }, body: fullForm, expected: 201 },
  ];
}

async function phase(baseUrl: string, pid: number, batch: Kind[]): Promise<{ peak: number; ms: number }> {
  // Let what the last phase left settle, then measure this one's peak from here.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  resetPeak(pid);
  const started = Date.now();
  const statuses = await Promise.all(batch.flatMap((kind) => Array.from({ length: CONCURRENCY }, () => send(baseUrl, kind).then((status) => [kind, status] as const))));
  const ms = Date.now() - started;
  const wrong = statuses.filter(([kind, status]) => status !== kind.expected).map(([kind, status]) => `${kind.name}: ${status} (expected ${kind.expected})`);
  if (wrong.length > 0) throw new Error(`unexpected answers: ${[...new Set(wrong)].join('; ')}`);
  return { peak: memoryOf(pid).peak, ms };
}

export async function runBodyMemoryBench(): Promise<BenchResult> {
  const blobs = mkdtempSync(path.join(os.tmpdir(), 'nna-bench-bodies-'));
  const stack = await startBenchStack({ BLOB_DIR: blobs, MAX_REQUEST_BYTES: String(UPLOAD_CAP) });
  try {
    const api = stack.api.url;
    const pid = stack.api.child.pid!;
    const all = await kinds();
    // Warm: each route loaded once, the Firestore channel open.
    for (const kind of all) await send(api, { ...kind, body: kind.expected === 201 ? kind.body : Buffer.from('{}') });
    const idle = memoryOf(pid).rss;
    const figures: Figure[] = [{ name: 'API resident memory before the phases', value: idle, unit: 'MiB' }];
    for (const kind of all) {
      const { peak, ms } = await phase(api, pid, [kind]);
      figures.push({ name: `peak resident memory, ${CONCURRENCY} concurrent ${kind.name} (answered ${kind.expected}, ${(ms / 1000).toFixed(1)} s)`, value: peak, unit: 'MiB', goal: { comparison: '<=', target: GOAL_MIB } });
    }
    const together = await phase(api, pid, all);
    figures.push({
      name: `peak resident memory, all six kinds at once (${CONCURRENCY * all.length} requests, ${(together.ms / 1000).toFixed(1)} s)`,
      value: together.peak,
      unit: 'MiB',
      goal: { comparison: '<=', target: GOAL_MIB },
    });
    return writeResult(
      'body-memory',
      'memory of request bodies',
      `Request bodies and the API's memory (deployed with ${DEPLOYED_MIB} MiB, concurrency 80; goal: at most 0.75 of it): ${CONCURRENCY} concurrent maximal requests of each kind against one API process (functions-framework, the Firestore emulator, the filesystem blob store), one kind after another, then all at once; the figure is the process's peak resident memory (VmHWM) during each phase, reset before it. Before bodies were read by their routes, functions-framework buffered every body before the API ran: the report measured 8 parallel anonymous 29 MiB searches growing the API from 263 to 912 MB, and this benchmark's first phase peaked at 1448 MiB on the commit before (one loaded run).`,
      figures,
    );
  } finally {
    agent.destroy();
    await stack.stop();
    rmSync(blobs, { recursive: true, force: true });
  }
}
