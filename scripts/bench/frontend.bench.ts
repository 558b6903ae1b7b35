/**
 * What the web frontend's heaviest calls cost: its browse page's 1000-item listing
 * (latency, response size, the API process's memory) beside the 12-item first page, interleaved in
 * one run; and the sign-in round trip through the API against the Firebase Auth emulator beside a
 * direct call to the emulator (the API's own overhead).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Firestore } from '@google-cloud/firestore';
import { startAuthEmulator } from '../lib/auth-emulator.js';
import { seedLegacyAssetCollection } from '../lib/legacy-asset-generator.js';
import { percentile, writeResult, type BenchResult } from './bench-report.js';
import { BENCH_PROJECT, startBenchStack } from './bench-stack.js';

const ASSETS = 1000;
const ROUNDS = Number(process.env['FRONTEND_BENCH_ROUNDS'] ?? 40);
const SIGN_INS = Number(process.env['FRONTEND_BENCH_SIGN_INS'] ?? 60);

/** Resident and peak resident memory of a process, in MiB (Linux). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

async function timed(url: string, init?: RequestInit): Promise<{ ms: number; bytes: number }> {
  const started = process.hrtime.bigint();
  const response = await fetch(url, init);
  const body = await response.arrayBuffer();
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status}`);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, bytes: body.byteLength };
}

function p(values: number[], q: number): number {
  return percentile([...values].sort((a, b) => a - b), q);
}

export async function runFrontendBench(): Promise<BenchResult> {
  const auth = await startAuthEmulator(path.join(os.tmpdir(), 'nna-bench-auth'));
  const stack = await startBenchStack({ FIREBASE_AUTH_EMULATOR_HOST: auth.host, FIREBASE_PROJECT_ID: auth.projectId }).catch(async (error: unknown) => {
    await auth.stop();
    throw error;
  });
  try {
    const db = new Firestore({ projectId: BENCH_PROJECT });
    await seedLegacyAssetCollection(db, 'assets', ASSETS);
    await db.terminate();
    const api = stack.api.url;
    const pid = stack.api.child.pid!;
    const big = `${api}/api/assets?page=1&limit=1000&sortBy=createdAt`;
    const small = `${api}/api/assets?page=1&limit=12`;
    for (let index = 0; index < 3; index++) await Promise.all([timed(big), timed(small)]);
    const before = memoryOf(pid);
    const bigTimes: number[] = [];
    const smallTimes: number[] = [];
    let bigBytes = 0;
    let items = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? [big, small] : [small, big];
      for (const url of order) {
        const { ms, bytes } = await timed(url);
        if (url === big) {
          bigTimes.push(ms);
          bigBytes = bytes;
        } else smallTimes.push(ms);
      }
    }
    items = ((await (await fetch(big)).json()) as { data: { items: unknown[] } }).data.items.length;
    const after = memoryOf(pid);

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
      'issue 12',
      `The web frontend's browse page over ${ASSETS} assets on the Firestore emulator (${ROUNDS} rounds, interleaved, sequential): the 1000-item page beside the 12-item first page, and the API process's memory; then ${SIGN_INS} sign-ins (POST /api/auth/login) beside the Auth emulator's signInWithPassword alone.`,
      [
        { name: 'limit=1000 listing p50', value: p(bigTimes, 0.5), unit: 'ms' },
        { name: 'limit=1000 listing p99', value: p(bigTimes, 0.99), unit: 'ms' },
        { name: 'limit=1000 items served', value: items, unit: 'items' },
        { name: 'limit=1000 response size', value: bigBytes / 1024, unit: 'KiB' },
        { name: 'limit=12 listing p50', value: p(smallTimes, 0.5), unit: 'ms' },
        { name: 'p50 per item, 1000 vs 12 (ratio)', value: p(bigTimes, 0.5) / ASSETS / (p(smallTimes, 0.5) / 12), unit: 'x', goal: { comparison: '<=', target: 1 } },
        { name: 'API resident memory after the pages', value: after.rss, unit: 'MiB' },
        { name: 'API peak memory growth while serving them', value: after.peak - before.peak, unit: 'MiB' },
        // The API is deployed with 512 MiB (cloudbuild.yaml): 1000-item pages must leave half of it free.
        { name: 'API peak resident memory (process lifetime)', value: after.peak, unit: 'MiB', goal: { comparison: '<=', target: 256 } },
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
