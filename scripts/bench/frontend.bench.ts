/**
 * What the web frontend's heaviest calls cost: its browse page's 1000-item listing
 * (latency, response size, the API process's memory) beside the 12-item first page, interleaved in
 * one run; the browse page opened by many people at once (20 identical 1000-item listings in
 * flight together on one API process, beside one at a time on another, rounds interleaved), with
 * what goes over the wire per encoding; the 1000-item page's server time (its access log) beside the
 * Firestore client reading the same documents alone (and, for information, the same read over the
 * client's REST transport, and with the count the page needs), and the first such page of a freshly started API; and the sign-in round trip through the API against the
 * Firebase Auth emulator beside a direct call to the emulator (the API's own overhead).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Firestore } from '@google-cloud/firestore';
import { startAuthEmulator } from '../lib/auth-emulator.js';
import { seedLegacyAssetCollection } from '../lib/legacy-asset-generator.js';
import { percentile, writeResult, type BenchResult } from './bench-report.js';
import { restEmulatorFirestore } from './rest-emulator-firestore.js';
import { BENCH_PROJECT, startBenchApi, startBenchStack, type BenchStack } from './bench-stack.js';

const ASSETS = 1000;
const ROUNDS = Number(process.env['FRONTEND_BENCH_ROUNDS'] ?? 40);
const SIGN_INS = Number(process.env['FRONTEND_BENCH_SIGN_INS'] ?? 60);
/** The browse page opened by this many people at once, and how many such rounds. */
const CROWD = Number(process.env['FRONTEND_BENCH_CROWD'] ?? 20);
const CROWD_ROUNDS = Number(process.env['FRONTEND_BENCH_CROWD_ROUNDS'] ?? 8);
/** What Chromium sends. */
const BROWSER_ENCODINGS = 'gzip, deflate, br, zstd';

/** Resident and peak resident memory of a process, in MiB (Linux). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** How long `work` takes, in ms. */
async function msOf(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function timed(url: string, init?: RequestInit): Promise<{ ms: number; bytes: number }> {
  let bytes = 0;
  const ms = await msOf(async () => {
    const response = await fetch(url, init);
    bytes = (await response.arrayBuffer()).byteLength;
    if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status}`);
  });
  return { ms, bytes };
}

/** The bench's own user agent on the pages it measures, so their access lines can be told apart. */
const MEASURED_AGENT = 'nna-bench-measured-page';

/** Each measured request's latency from the API's access log (Cloud Logging's httpRequest.latency, "0.085s"), in ms. */
function serverLatenciesOf(logPath: string, userAgent: string): number[] {
  return readFileSync(logPath, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(userAgent))
    .map((line) => JSON.parse(line) as { httpRequest?: { userAgent?: string; latency?: string } })
    .filter((entry) => entry.httpRequest?.userAgent === userAgent)
    .map((entry) => Number.parseFloat(entry.httpRequest!.latency!) * 1000);
}

function p(values: number[], q: number): number {
  return percentile([...values].sort((a, b) => a - b), q);
}

interface WireAnswer {
  status: number;
  ms: number;
  /** Bytes on the wire (compressed when the answer is). */
  wireBytes: number;
  encoding: string;
  documentsRead: number;
}

/** A GET through node:http, which leaves the body as sent: its size on the wire, not decoded. */
function wireGet(url: string, headers: Record<string, string>): Promise<WireAnswer> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent: false }, (response) => {
      let wireBytes = 0;
      response.on('data', (chunk: Buffer) => (wireBytes += chunk.length));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        if (status !== 200) return reject(new Error(`GET ${url} answered ${status}`));
        resolve({
          status,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          wireBytes,
          encoding: String(response.headers['content-encoding'] ?? 'identity'),
          documentsRead: Number(response.headers['x-documents-read'] ?? NaN),
        });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

interface CrowdFigures {
  aloneTimes: number[];
  crowdMedians: number[];
  unsharedMedians: number[];
  aloneReads: number[];
  crowdReads: number[];
  unsharedReads: number[];
  alonePeak: number;
  crowdPeak: number;
  unsharedPeak: number;
  wire: Record<string, { bytes: number; encoding: string }>;
}

/** The shared page's lifetime on the crowd's process (the configuration's default). */
const SHARE_MS = 1000;

/**
 * The browse page at load, many people at once. Three API processes on the same emulator: one
 * serves the 1000-item page one at a time with sharing off (every request reads: the cost of one
 * page), one CROWD identical pages in flight together with sharing as deployed, and one the same
 * crowd with sharing off (what the crowd costs without it, for information). Rounds alternate
 * between them, so all see the same machine, and the crowd's rounds start more than the shared
 * page's lifetime apart, so each round reads afresh rather than reusing the last round's page. Each
 * process's peak resident memory is its lifetime peak (what a 512 MiB instance must hold).
 */
async function measureCrowd(stack: Awaited<ReturnType<typeof startBenchStack>>, env: Record<string, string>): Promise<CrowdFigures> {
  const unsharing = { ...env, LISTING_SHARE_MS: '0' };
  const [alone, crowd, unshared] = await Promise.all([
    startBenchApi(stack.emulators, unsharing),
    startBenchApi(stack.emulators, { ...env, LISTING_SHARE_MS: String(SHARE_MS) }),
    startBenchApi(stack.emulators, unsharing),
  ]);
  try {
    const path = '/api/assets?page=1&limit=1000&sortBy=createdAt';
    const browser = { 'Accept-Encoding': BROWSER_ENCODINGS };
    // Warm-up: each process loads its routes and serves the page a few times, one at a time.
    for (let index = 0; index < 3; index++) await Promise.all([alone, crowd, unshared].map((server) => wireGet(server.url + path, browser)));
    const figures: CrowdFigures = {
      aloneTimes: [],
      crowdMedians: [],
      unsharedMedians: [],
      aloneReads: [],
      crowdReads: [],
      unsharedReads: [],
      alonePeak: 0,
      crowdPeak: 0,
      unsharedPeak: 0,
      wire: {},
    };
    const runAlone = async () => {
      const answer = await wireGet(alone.url + path, browser);
      figures.aloneTimes.push(answer.ms);
      figures.aloneReads.push(answer.documentsRead);
    };
    let lastCrowd = 0;
    const runCrowd = async (server: typeof crowd, medians: number[], reads: number[]) => {
      if (server === crowd) {
        const wait = lastCrowd + SHARE_MS + 100 - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        lastCrowd = Date.now();
      }
      const answers = await Promise.all(Array.from({ length: CROWD }, () => wireGet(server.url + path, browser)));
      medians.push(p(answers.map((answer) => answer.ms), 0.5));
      reads.push(answers.reduce((sum, answer) => sum + answer.documentsRead, 0));
    };
    const steps = [
      runAlone,
      () => runCrowd(crowd, figures.crowdMedians, figures.crowdReads),
      () => runCrowd(unshared, figures.unsharedMedians, figures.unsharedReads),
    ];
    for (let round = 0; round < CROWD_ROUNDS; round++) {
      // A different order each round: none of the three always runs after the same one.
      for (let step = 0; step < steps.length; step++) await steps[(step + round) % steps.length]!();
    }
    figures.alonePeak = memoryOf(alone.child.pid!).peak;
    figures.crowdPeak = memoryOf(crowd.child.pid!).peak;
    figures.unsharedPeak = memoryOf(unshared.child.pid!).peak;
    for (const encoding of ['identity', 'gzip', 'br']) {
      const answer = await wireGet(alone.url + path, { 'Accept-Encoding': encoding });
      figures.wire[encoding] = { bytes: answer.wireBytes, encoding: answer.encoding };
    }
    return figures;
  } finally {
    await Promise.all([alone.stop(), crowd.stop(), unshared.stop()]);
  }
}

/** The first 1000-item page a freshly started API answers (its route group, schemas and Firestore channel all load for it). */
async function firstPageAfterColdStart(stack: BenchStack, page: string): Promise<number> {
  const cold = await startBenchApi(stack.emulators, { LISTING_SHARE_MS: '0' });
  try {
    return (await timed(cold.url + page)).ms;
  } finally {
    await cold.stop();
  }
}

export async function runFrontendBench(): Promise<BenchResult> {
  const auth = await startAuthEmulator(path.join(os.tmpdir(), 'nna-bench-auth'));
  // The sequential rounds measure what a page costs: every request reads (no sharing). INFO logs
  // each request's access line, whose latency is the page's server time.
  const stack = await startBenchStack({ FIREBASE_AUTH_EMULATOR_HOST: auth.host, FIREBASE_PROJECT_ID: auth.projectId, LISTING_SHARE_MS: '0', LOG_LEVEL: 'INFO' }).catch(async (error: unknown) => {
    await auth.stop();
    throw error;
  });
  try {
    const db = new Firestore({ projectId: BENCH_PROJECT });
    await seedLegacyAssetCollection(db, 'assets', ASSETS);
    const api = stack.api.url;
    const pid = stack.api.child.pid!;
    const big = `${api}/api/assets?page=1&limit=1000&sortBy=createdAt`;
    const small = `${api}/api/assets?page=1&limit=12`;
    const firstPage = await firstPageAfterColdStart(stack, big.slice(api.length));
    // The same 1000 documents read with the Firestore client alone: what the page costs before serialization, projection and compression.
    const newest = (client: Firestore, limit: number) => client.collection('assets').orderBy('createdAt', 'desc').limit(limit).get();
    const readWith = (client: Firestore) =>
      msOf(async () => {
        const snapshot = await newest(client, ASSETS);
        if (snapshot.size !== ASSETS) throw new Error(`the direct read found ${snapshot.size} documents`);
      });
    const readAlone = () => readWith(db);
    // What the page itself asks Firestore for: one more document than it serves and, in parallel, the count() of its total.
    const readAndCount = () => msOf(() => Promise.all([newest(db, ASSETS + 1), db.collection('assets').count().get()]));
    // For information, the transport the functions did not choose (docs/deployment.md, Transport).
    const restDb = restEmulatorFirestore(BENCH_PROJECT);
    for (let index = 0; index < 3; index++) await Promise.all([timed(big), timed(small), readAlone(), readWith(restDb)]);
    const before = memoryOf(pid);
    const bigTimes: number[] = [];
    const smallTimes: number[] = [];
    const readTimes: number[] = [];
    const restReadTimes: number[] = [];
    const readAndCountTimes: number[] = [];
    let bigBytes = 0;
    let items = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? [big, small] : [small, big];
      if (round % 2) readTimes.push(await readAlone());
      for (const url of order) {
        const { ms, bytes } = await timed(url, url === big ? { headers: { 'user-agent': MEASURED_AGENT } } : undefined);
        if (url === big) {
          bigTimes.push(ms);
          bigBytes = bytes;
        } else smallTimes.push(ms);
      }
      if (!(round % 2)) readTimes.push(await readAlone());
      restReadTimes.push(await readWith(restDb));
      readAndCountTimes.push(await readAndCount());
    }
    const serverTimes = serverLatenciesOf(stack.api.logPath, MEASURED_AGENT);
    if (serverTimes.length !== ROUNDS) throw new Error(`the API logged ${serverTimes.length} measured pages, not ${ROUNDS}`);
    await Promise.all([db.terminate(), restDb.terminate()]);
    items = ((await (await fetch(big)).json()) as { data: { items: unknown[] } }).data.items.length;
    const after = memoryOf(pid);

    const crowd = await measureCrowd(stack, { FIREBASE_AUTH_EMULATOR_HOST: auth.host, FIREBASE_PROJECT_ID: auth.projectId });
    const identityBytes = crowd.wire['identity']!.bytes;

    // Sign-in: the API (validation, Identity Toolkit, token verification) beside the emulator alone.
    const credentials = { email: 'bench@example.com', password: 'bench-pass-1' };
    const registered = await fetch(`${api}/api/auth/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(credentials) });
    if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
    const json = { method: 'POST', headers: { 'Content-Type': 'application/json' } };
    const viaApi = () => timed(`${api}/api/auth/login`, { ...json, body: JSON.stringify(credentials) });
    const direct = () =>
      timed(`http://${auth.host}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=bench`, { ...json, body: JSON.stringify({ ...credentials, returnSecureToken: true }) });
    for (let index = 0; index < 5; index++) await Promise.all([viaApi(), direct()]);
    const apiTimes: number[] = [];
    const directTimes: number[] = [];
    for (let index = 0; index < SIGN_INS; index++) {
      if (index % 2) {
        apiTimes.push((await viaApi()).ms);
        directTimes.push((await direct()).ms);
      } else {
        directTimes.push((await direct()).ms);
        apiTimes.push((await viaApi()).ms);
      }
    }
    return writeResult(
      'frontend',
      'the web frontend',
      `The web frontend's browse page over ${ASSETS} assets on the Firestore emulator (${ROUNDS} rounds, interleaved, sequential): the 1000-item page beside the 12-item first page, its server time (the API's access log) beside the Firestore client reading the same documents alone, and the API process's memory; the browse page at load, ${CROWD} identical 1000-item pages in flight together on one fresh API process (sharing as deployed, rounds more than LISTING_SHARE_MS apart) beside one page at a time on another with sharing off (what one page costs) and the same crowd on a third with sharing off (for information) (${CROWD_ROUNDS} rounds, order rotating; Accept-Encoding as Chromium sends it; documents read from X-Documents-Read, counted by the asset queries' adapter; peak memory is each process's lifetime peak); the sequential rounds run with sharing off; the page's size on the wire per Accept-Encoding; then ${SIGN_INS} sign-ins (POST /api/auth/login) beside the Auth emulator's signInWithPassword alone.`,
      [
        { name: 'limit=1000 listing p50', value: p(bigTimes, 0.5), unit: 'ms' },
        { name: 'limit=1000 listing p99', value: p(bigTimes, 0.99), unit: 'ms' },
        { name: 'limit=1000 items served', value: items, unit: 'items' },
        { name: 'limit=1000 response size', value: bigBytes / 1024, unit: 'KiB' },
        { name: 'the same 1000 documents read with the Firestore client alone p50', value: p(readTimes, 0.5), unit: 'ms' },
        { name: 'limit=1000 page server time p50 (its access log: from the handler to the answer written)', value: p(serverTimes, 0.5), unit: 'ms' },
        {
          name: 'limit=1000 page server time p50 / the client reading its documents alone p50 (serialization, projection, compression)',
          value: p(serverTimes, 0.5) / p(readTimes, 0.5),
          unit: 'x',
          goal: { comparison: '<=', target: 1.2 },
        },
        {
          name: 'for information: limit=1000 page p50 as the client sees it (fetch, decompression) / the client reading alone p50',
          value: p(bigTimes, 0.5) / p(readTimes, 0.5),
          unit: 'x',
        },
        {
          name: "for information: the client reading the page's 1001 documents and counting the collection in parallel, as the page does, p50 (the emulator's count() scans every document)",
          value: p(readAndCountTimes, 0.5),
          unit: 'ms',
        },
        { name: 'the same 1000 documents read over the REST transport (preferRest) alone p50, for information', value: p(restReadTimes, 0.5), unit: 'ms' },
        { name: 'REST / gRPC, the same 1000 documents read alone p50 (ratio)', value: p(restReadTimes, 0.5) / p(readTimes, 0.5), unit: 'x' },
        { name: "first limit=1000 page of a cold API (the frontend aborts at 5000 ms)", value: firstPage, unit: 'ms', goal: { comparison: '<=', target: 5000 } },
        { name: 'limit=12 listing p50', value: p(smallTimes, 0.5), unit: 'ms' },
        { name: 'p50 per item, 1000 vs 12 (ratio)', value: p(bigTimes, 0.5) / ASSETS / (p(smallTimes, 0.5) / 12), unit: 'x', goal: { comparison: '<=', target: 1 } },
        { name: 'API resident memory after the pages', value: after.rss, unit: 'MiB' },
        { name: 'API peak memory growth while serving them', value: after.peak - before.peak, unit: 'MiB' },
        // The API is deployed with 512 MiB (cloudbuild.yaml): 1000-item pages must leave half of it free.
        { name: 'API peak resident memory (process lifetime)', value: after.peak, unit: 'MiB', goal: { comparison: '<=', target: 256 } },
        { name: `browse page at load: one at a time, p50 (${CROWD_ROUNDS} rounds, ${BROWSER_ENCODINGS})`, value: p(crowd.aloneTimes, 0.5), unit: 'ms' },
        { name: `browse page at load: ${CROWD} at once, median latency (median over rounds)`, value: p(crowd.crowdMedians, 0.5), unit: 'ms' },
        {
          name: `browse page at load: ${CROWD} at once / one at a time, median latency (ratio)`,
          value: p(crowd.crowdMedians, 0.5) / p(crowd.aloneTimes, 0.5),
          unit: 'x',
          goal: { comparison: '<=', target: 3 },
        },
        { name: 'browse page at load: documents read, one page', value: p(crowd.aloneReads, 0.5), unit: 'docs' },
        { name: `browse page at load: documents read, ${CROWD} at once (median over rounds)`, value: p(crowd.crowdReads, 0.5), unit: 'docs' },
        {
          name: `browse page at load: documents read, ${CROWD} at once / one page (ratio)`,
          value: p(crowd.crowdReads, 0.5) / p(crowd.aloneReads, 0.5),
          unit: 'x',
          goal: { comparison: '<=', target: 1.1 },
        },
        { name: 'browse page at load: peak resident memory, API serving one at a time', value: crowd.alonePeak, unit: 'MiB' },
        {
          name: `browse page at load: peak resident memory, API serving ${CROWD} at once (deployed with 512 MiB)`,
          value: crowd.crowdPeak,
          unit: 'MiB',
          goal: { comparison: '<=', target: 384 },
        },
        { name: `without sharing (LISTING_SHARE_MS=0), for information: ${CROWD} at once, median latency`, value: p(crowd.unsharedMedians, 0.5), unit: 'ms' },
        { name: `without sharing, for information: ${CROWD} at once, documents read`, value: p(crowd.unsharedReads, 0.5), unit: 'docs' },
        { name: `without sharing, for information: ${CROWD} at once, peak resident memory`, value: crowd.unsharedPeak, unit: 'MiB' },
        { name: 'limit=1000 page on the wire, identity', value: identityBytes / 1024, unit: 'KiB' },
        ...(['gzip', 'br'] as const).map((encoding) => ({
          name: `limit=1000 page on the wire, Accept-Encoding: ${encoding} / identity (answered ${crowd.wire[encoding]!.encoding})`,
          value: crowd.wire[encoding]!.bytes / identityBytes,
          unit: 'x',
          goal: { comparison: '<=' as const, target: 0.2 },
        })),
        { name: 'sign-in through the API p50', value: p(apiTimes, 0.5), unit: 'ms' },
        { name: 'sign-in through the API p99', value: p(apiTimes, 0.99), unit: 'ms' },
        { name: 'signInWithPassword on the emulator alone p50', value: p(directTimes, 0.5), unit: 'ms' },
        { name: 'sign-in API overhead p50 (API - emulator)', value: p(apiTimes, 0.5) - p(directTimes, 0.5), unit: 'ms', goal: { comparison: '<=', target: 50 } },
      ],
    );
  } finally {
    await stack.stop();
    await auth.stop();
  }
}
