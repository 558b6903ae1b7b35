/**
 * Run by the migration benchmark in a fresh Node process, as the CLI runs (its JIT cold): the reads
 * alone, then the writes with their backups, each with the time its one JavaScript thread was busy
 * (event-loop utilization, GC on that thread included) and the CPU of the whole process: what a
 * one-thread client must spend at least, beside apply's own figure. Started with the CLI's node
 * flags (its heap bound).
 * Arguments: project, collection size, batch size, batches in flight; FIRESTORE_EMULATOR_HOST set.
 */
import { performance } from 'node:perf_hooks';
import { Firestore } from '@google-cloud/firestore';
import { eachPlannedUpdate, readAlone, writeUpdates, type PlannedUpdate } from './migration-parts.js';

const [projectId, size, batchSize, concurrency] = process.argv.slice(2);
const db = new Firestore({ projectId });
/*
 * The updates are computed as the writes ask for them, so that the heap stays small as apply's does
 * (all 9,000 held at once would make every collection slower), and the time spent computing them is
 * taken off the thread's busy time: it is the migration's work, not the client library's.
 */
let computingMs = 0;
function* timedUpdates(): Generator<PlannedUpdate> {
  const updates = eachPlannedUpdate(Number(size));
  for (;;) {
    const started = performance.now();
    const item = updates.next();
    computingMs += performance.now() - started;
    if (item.done) return;
    yield item.value;
  }
}
// One round trip first, so that neither part pays for opening the channel.
await db.collection('assets').limit(1).get();

async function busy(work: () => Promise<number>): Promise<{ ms: number; busyMs: number; cpuMs: number }> {
  const before = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const computingBefore = computingMs;
  const ms = await work();
  const used = process.cpuUsage(cpu);
  const computed = computingMs - computingBefore;
  return { ms, busyMs: performance.eventLoopUtilization(before).active - computed, cpuMs: (used.user + used.system) / 1000 - computed };
}

const read = await busy(() => readAlone(db));
const writes = await busy(() => writeUpdates(db, timedUpdates(), Number(batchSize), Number(concurrency), true));
await db.terminate();
console.log(JSON.stringify({ read, writes }));
