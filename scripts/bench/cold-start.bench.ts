/**
 * Cold start of the API function under functions-framework against a bare functions-framework
 * start serving a one-line function: spawn to first answered request, median of several runs.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../lib/free-port.js';
import { startFunctionServer } from '../lib/function-server.js';
import { median, writeResult, type BenchResult } from './bench-report.js';

const RUNS = 7;

async function timeStart(target: string, env: Record<string, string>, logDirectory: string, source?: string): Promise<number> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const server = await startFunctionServer({ target, signatureType: 'http', env, logDirectory, port, ...(source ? { source } : {}) });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  await server.stop();
  return elapsed;
}

export async function runColdStartBench(): Promise<BenchResult> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'nna-cold-'));
  const bare = path.join(scratch, 'bare');
  mkdirSync(bare);
  writeFileSync(path.join(bare, 'package.json'), JSON.stringify({ name: 'bare', main: 'index.js' }));
  writeFileSync(path.join(bare, 'index.js'), "exports.hello = (req, res) => res.send('ok');\n");
  const apiEnv = { DEPLOY_ENV: 'test', FIRESTORE_EMULATOR_HOST: '127.0.0.1:1', BLOB_DIR: path.join(scratch, 'blobs'), LOG_LEVEL: 'WARNING' };
  const bareTimes: number[] = [];
  const apiTimes: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    bareTimes.push(await timeStart('hello', {}, path.join(scratch, 'logs'), bare));
    apiTimes.push(await timeStart('api', apiEnv, path.join(scratch, 'logs')));
  }
  const bareMs = median(bareTimes);
  const apiMs = median(apiTimes);
  return writeResult('cold-start', 'issue 2', `Spawn of functions-framework to its first answered request, median of ${RUNS} alternating runs. The API module graph loads no image code (test/domain/module-graph.test.ts).`, [
    { name: 'bare functions-framework start', value: bareMs, unit: 'ms' },
    { name: 'API function start', value: apiMs, unit: 'ms' },
    { name: 'API import cost over bare', value: apiMs - bareMs, unit: 'ms' },
    { name: 'ratio API/bare', value: apiMs / bareMs, unit: 'x' },
  ]);
}
