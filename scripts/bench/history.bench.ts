/**
 * What history costs: create, update and GET through two API servers on the same emulator, one
 * recording history (production) and one with HISTORY_ENABLED=false (allowed on this machine only),
 * requests interleaved in one run so that drift affects both alike.
 */
import { percentile, writeResult, type BenchResult, type Figure } from './bench-report.js';
import { startBenchApi, startBenchStack } from './bench-stack.js';

const WRITES_EACH = Number(process.env['HISTORY_BENCH_WRITES'] ?? 300);
const GETS_EACH = Number(process.env['HISTORY_BENCH_GETS'] ?? 1000);
const WARMUP = 30;
const EDITOR = { Authorization: 'Bearer dev:bench@example.com:editor', 'Content-Type': 'application/json' };

async function timed(url: string, init: RequestInit): Promise<{ ms: number; body: unknown }> {
  const started = process.hrtime.bigint();
  const response = await fetch(url, init);
  const body: unknown = await response.json();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (response.status >= 300) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}`);
  return { ms, body };
}

const createBody = JSON.stringify({ layer: 'S', category: 'POP', subcategory: 'BAS', description: 'History benchmark', tags: ['bench'], source: 'ReViz' });

function create(base: string) {
  return timed(`${base}/api/assets`, { method: 'POST', headers: EDITOR, body: createBody });
}

function update(base: string, id: string, round: number) {
  return timed(`${base}/api/assets/${id}`, { method: 'PUT', headers: EDITOR, body: JSON.stringify({ description: `round ${round}`, tags: ['bench', `r${round % 7}`] }) });
}

type Pair = { on: number[]; off: number[] };
const pair = (): Pair => ({ on: [], off: [] });

/** Runs `step` for both servers, alternating which goes first, and records its time. */
async function interleaved(count: number, into: Pair, step: (which: 'on' | 'off', index: number) => Promise<number>): Promise<void> {
  for (let index = 0; index < count; index++) {
    const order: Array<'on' | 'off'> = index % 2 ? ['on', 'off'] : ['off', 'on'];
    for (const which of order) into[which].push(await step(which, index));
  }
}

function ratioFigures(label: string, times: Pair, goal: number): Figure[] {
  const on = [...times.on].sort((a, b) => a - b);
  const off = [...times.off].sort((a, b) => a - b);
  return [
    { name: `${label} p50 with history`, value: percentile(on, 0.5), unit: 'ms' },
    { name: `${label} p50 without history`, value: percentile(off, 0.5), unit: 'ms' },
    { name: `${label} p99 with history`, value: percentile(on, 0.99), unit: 'ms' },
    { name: `${label} p99 without history`, value: percentile(off, 0.99), unit: 'ms' },
    { name: `${label} p50 ratio with/without`, value: percentile(on, 0.5) / percentile(off, 0.5), unit: 'x', goal: { comparison: '<=', target: goal } },
    { name: `${label} p99 ratio with/without`, value: percentile(on, 0.99) / percentile(off, 0.99), unit: 'x', goal: { comparison: '<=', target: goal } },
  ];
}

export async function runHistoryBench(): Promise<BenchResult> {
  const stack = await startBenchStack();
  const without = await startBenchApi(stack.emulators, { HISTORY_ENABLED: 'false' });
  try {
    const base = { on: stack.api.url, off: without.url };
    for (let index = 0; index < WARMUP; index++) {
      await create(base.on);
      await create(base.off);
    }
    const creates = pair();
    const ids: Record<'on' | 'off', string[]> = { on: [], off: [] };
    await interleaved(WRITES_EACH, creates, async (which) => {
      const { ms, body } = await create(base[which]);
      ids[which].push((body as { data: { id: string } }).data.id);
      return ms;
    });
    const updates = pair();
    await interleaved(WRITES_EACH, updates, async (which, index) => (await update(base[which], ids[which][index]!, index)).ms);
    // Both servers read assets that have history (the GET path does not look at it).
    const gets = pair();
    await interleaved(GETS_EACH, gets, async (which, index) => (await timed(`${base[which]}/api/assets/${ids.on[index % ids.on.length]!}`, {})).ms);
    return writeResult(
      'history',
      'history entries',
      `Cost of recording history: ${WRITES_EACH} creates and ${WRITES_EACH} updates, then ${GETS_EACH} GETs, each against an API with history and one with HISTORY_ENABLED=false on the same Firestore emulator, interleaved, sequential.`,
      [...ratioFigures('create', creates, 1.15), ...ratioFigures('update', updates, 1.15), ...ratioFigures('GET', gets, 1.05)],
    );
  } finally {
    await without.stop();
    await stack.stop();
  }
}
