/** The load suite as a benchmark: p50/p99 latency and requests per second per scenario. */
import { writeResult, type BenchResult, type Figure } from './bench-report.js';
import { startBenchStack } from './bench-stack.js';
import { runLoad } from './load-runner.js';

const SECONDS = 15;
const CONNECTIONS = 10;

export async function runLoadBench(): Promise<BenchResult> {
  const stack = await startBenchStack();
  try {
    const created = await fetch(`${stack.api.url}/api/assets`, {
      method: 'POST',
      headers: { Authorization: 'Bearer dev:bench@example.com:editor', 'Content-Type': 'application/json' },
      body: JSON.stringify({ layer: 'S', category: 'POP', subcategory: 'BAS', description: 'load bench star' }),
    });
    const assetId = ((await created.json()) as { data: { id: string } }).data.id;
    const figures = await runLoad({ baseUrl: stack.api.url, seconds: SECONDS, connections: CONNECTIONS, assetId });
    const rows: Figure[] = figures.flatMap((figure) => [
      { name: `${figure.scenario}: requests per second`, value: figure.requestsPerSecond, unit: 'req/s' },
      { name: `${figure.scenario}: p50`, value: figure.p50Ms, unit: 'ms' },
      { name: `${figure.scenario}: p99`, value: figure.p99Ms, unit: 'ms' },
      { name: `${figure.scenario}: errors + non-2xx + timeouts`, value: figure.errors + figure.non2xx + figure.timeouts, unit: 'count', goal: { comparison: '<=', target: 0 } },
    ]);
    return writeResult('load', 'load', `autocannon, ${CONNECTIONS} connections, ${SECONDS}s per scenario, API under functions-framework on 127.0.0.1 against the Firestore emulator.`, rows);
  } finally {
    await stack.stop();
  }
}
