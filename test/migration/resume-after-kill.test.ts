import { expect } from 'chai';
import { clearFirestore } from '../../scripts/lib/emulators.js';
import { snapshotCollection } from '../support/firestore-direct.js';
import { migrate, startMigrate } from '../support/migrate-cli.js';
import { MIGRATION_ID, seedMigrationFixture } from '../support/migration-fixture.js';
import { TEST_PROJECT } from '../support/test-environment.js';

/** mulberry32: a small seeded generator, so the kill points are random but the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Starts apply and SIGKILLs it once `batches` batches have reported; resolves with how it ended. */
async function applyKilledAfter(batches: number): Promise<NodeJS.Signals | null> {
  const run = startMigrate(['apply', '--migration', MIGRATION_ID, '--yes', '--batch-size', '25', '--concurrency', '4']);
  run.onEvent((event) => {
    if (event['event'] === 'batch' && (event['batch'] as number) >= batches) run.child.kill('SIGKILL');
  });
  return (await run.done).signal;
}

describe('migrate: a run killed with SIGKILL at random batches resumes to the clean result', function () {
  this.timeout(300_000);

  it('five kills, then a resume, end identical to an uninterrupted run; rollback still restores the start', async () => {
    await seedMigrationFixture();
    const original = await snapshotCollection('assets');
    const clean = await migrate(['apply', '--migration', MIGRATION_ID, '--yes', '--batch-size', '25']);
    expect(clean.code, clean.stderr).to.equal(0);
    const cleanResult = await snapshotCollection('assets');

    await clearFirestore(process.env['FIRESTORE_EMULATOR_HOST']!, TEST_PROJECT);
    await seedMigrationFixture();
    const random = seededRandom(6);
    for (let kill = 0; kill < 5; kill++) {
      const afterBatches = 1 + Math.floor(random() * 6);
      expect(await applyKilledAfter(afterBatches), `kill ${kill + 1}`).to.equal('SIGKILL');
    }
    const killedStatus = JSON.parse((await migrate(['status', '--migration', MIGRATION_ID])).stdout) as Record<string, unknown>;
    expect(killedStatus['status']).to.equal('running');
    expect(killedStatus['runs']).to.equal(5);

    const resumed = await migrate(['apply', '--migration', MIGRATION_ID, '--yes', '--batch-size', '25']);
    expect(resumed.code, resumed.stderr).to.equal(0);
    expect(resumed.report?.['status']).to.equal('completed');
    expect(await snapshotCollection('assets')).to.deep.equal(cleanResult);
    expect((await migrate(['verify', '--migration', MIGRATION_ID])).code).to.equal(0);

    const rolledBack = await migrate(['rollback', '--migration', MIGRATION_ID, '--yes']);
    expect(rolledBack.code, rolledBack.stderr).to.equal(0);
    expect(await snapshotCollection('assets')).to.deep.equal(original);
  });
});
