/**
 * Seeded, repeatable fuzzing of `npm run import -- apply` (the built CLI, a child process, against
 * the test emulator): generated hostile exports (import-arbitraries.ts), and a fake old backend
 * that misbehaves in every way the importer must survive. Goal: a run never hangs, never crashes,
 * never half-writes, and always ends with its report line. Each run is a whole CLI process, so
 * there are fewer runs than the API's fuzz suite: FUZZ_RUNS / 250 (6 in `npm test`, 40 in
 * `npm run test:hard`). A failure prints the seed and the shrunk export.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import type { ImportCounts } from '../../functions/cutover/import-report.js';
import { clearFirestore } from '../../scripts/lib/emulators.js';
import { startFakeLegacyBackend, type Misbehaviour } from '../support/fake-legacy-backend.js';
import { snapshotCollection } from '../support/firestore-direct.js';
import { historyWriters } from '../support/import-fixture.js';
import { startImport, type MigrateResult } from '../support/migrate-cli.js';
import { exportLine, stagingAssets, writeExport } from '../support/staging-export.js';
import { TEST_PROJECT } from '../support/test-environment.js';
import { bytesOf, hostileExport } from './import-arbitraries.js';

const RUNS = Math.max(3, Math.ceil(Number(process.env['FUZZ_RUNS'] ?? 1500) / 250));
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261207);
/** Far beyond any run here (a few seconds each): past it the run is a hang. */
const HANG_MS = 120_000;

/** Runs the CLI; a run still going after HANG_MS is killed and reported as a hang. */
async function runWithin(args: string[]): Promise<MigrateResult> {
  const run = startImport(args);
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      run.child.kill('SIGKILL');
      reject(new Error(`import ${args.join(' ')} still running after ${HANG_MS} ms: a hang`));
    }, HANG_MS);
  });
  try {
    return await Promise.race([run.done, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What every run that got past its checks must show: its report last, counts that add up, an exit
 * code that says whether all was imported. `sourceMayStop`: a misbehaving backend ends the run
 * `failed` (reported, exit 1); an export, whatever its lines, is read to its end.
 */
function expectReported(result: MigrateResult, sourceMayStop = false): ImportCounts {
  expect(result.signal, result.stderr).to.equal(null);
  expect(result.events.at(-1)?.['event'], `the last line is the report: ${result.stderr}`).to.equal('report');
  const counts = result.report!['counts'] as ImportCounts;
  const status = result.report!['status'];
  if (sourceMayStop && status === 'failed') expect(result.report!['error']).to.match(/^LegacySourceError: /);
  else expect(status, `the run went to its end: ${String(result.report!['error'])}`).to.equal('completed');
  expect(counts.created + counts.updated + counts.unchanged + counts.failed + counts.skipped).to.equal(counts.read);
  expect(result.code, result.stderr).to.equal(counts.failed === 0 && status === 'completed' ? 0 : 1);
  return counts;
}

/** Nothing half-written: every stored asset carries its import provenance and its history entry. */
async function expectWhole(): Promise<number> {
  const assets = await snapshotCollection('assets');
  const history = await historyWriters();
  for (const [id, document] of Object.entries(assets) as Array<[string, Record<string, unknown>]>) {
    expect((document['_sys'] as { imported?: unknown } | undefined)?.imported, `${id} has its provenance`).to.be.an('object');
    expect(history[id], `${id} has its history entry`).to.include('import');
  }
  return Object.keys(assets).length;
}

const misbehaviour: fc.Arbitrary<Misbehaviour> = fc.oneof(
  fc.record({
    kind: fc.constant('huge-page' as const),
    page: fc.integer({ min: 1, max: 7 }),
    bytes: fc.integer({ min: 9 * 1024 * 1024, max: 64 * 1024 * 1024 }),
  }),
  fc.record({ kind: fc.constant('lying-total' as const), total: fc.oneof(fc.integer({ min: 0, max: 120 }), fc.constant(1e9)) }),
  fc.record({ kind: fc.constant('repeat-page' as const), page: fc.integer({ min: 2, max: 7 }) }),
  fc.record({ kind: fc.constant('empty-page' as const), page: fc.integer({ min: 1, max: 7 }) }),
  fc.record({
    kind: fc.constant('redirect' as const),
    page: fc.integer({ min: 1, max: 7 }),
    location: fc.constantFrom('http://127.0.0.2:9/api/assets', 'https://example.com/api/assets', '//evil.example/x', '/api/assets?page=1&limit=10'),
  }),
  fc.record({ kind: fc.constant('not-utf8' as const), page: fc.integer({ min: 1, max: 7 }) }),
);

describe('import fuzzing', function () {
  this.timeout(RUNS * 2 * HANG_MS + 60_000);

  it(`imports ${RUNS} generated hostile exports (seed ${SEED}): no hang, no crash, nothing half-written, the report line last`, async () => {
    const honest = exportLine(stagingAssets()[0]!);
    await fc.assert(
      fc.asyncProperty(hostileExport, async (lines) => {
        await clearFirestore(process.env['FIRESTORE_EMULATOR_HOST']!, TEST_PROJECT);
        // An honest first line: a file starting with anything but { or [ is no export at all (exit 2, tested elsewhere).
        const file = writeExport('fuzz.json', Buffer.concat([Buffer.from(`${honest}\n`), ...lines.flatMap((line) => [bytesOf(line), Buffer.from('\n')])]));
        const result = await runWithin(['apply', '--from', file, '--yes', '--batch-size', '7', '--max-writes-per-second', 'unlimited']);
        const counts = expectReported(result);
        const nonBlank = 1 + lines.filter((line) => !('text' in line) || line.text.trim() !== '').length;
        expect(counts.read, JSON.stringify(result.report)).to.equal(nonBlank);
        expect(
          await expectWhole(),
          JSON.stringify({ counts, failures: result.report!['failures'], stored: Object.keys(await snapshotCollection('assets')) }),
        ).to.equal(counts.created);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });

  it(`reads ${RUNS} misbehaving old backends (seed ${SEED}): no hang, no crash, exit 2 before writing or the report line last`, async () => {
    await fc.assert(
      fc.asyncProperty(misbehaviour, async (behaviour) => {
        await clearFirestore(process.env['FIRESTORE_EMULATOR_HOST']!, TEST_PROJECT);
        const backend = await startFakeLegacyBackend({ documents: stagingAssets(), maxLimit: 10, misbehaviour: behaviour });
        try {
          const result = await runWithin(['apply', '--from', backend.url, '--token', backend.token, '--page-size', '10', '--yes']);
          if (result.code === 2) {
            expect(result.stderr).to.match(/^error: /m);
            expect(await snapshotCollection('assets'), 'exit 2 writes nothing').to.deep.equal({});
            return;
          }
          const counts = expectReported(result, true);
          expect(await expectWhole()).to.equal(counts.created);
          expect(counts.read, 'never more than the backend holds').to.be.at.most(60);
        } finally {
          await backend.stop();
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });
});
