/**
 * What the migration runner and the importer rely on from a CheckpointStore: one run at a time
 * (a live lease refuses another), progress saved under the lease, the lease released with the final
 * state, and a run whose lease was taken over stopped at its next save. `make` gives a function
 * that opens one more run over the same checkpoint. Run against the Firestore store and the fake.
 */
import { expect } from 'chai';
import { z } from 'zod';
import { ConflictError } from '../../functions/domain/errors.js';
import type { CheckpointStore } from '../../functions/domain/ports/checkpoint-store.js';
import { leaseSchema } from '../../functions/domain/schemas/lease.js';
import { rejectionOf } from './asset-documents.js';

export const testCheckpointSchema = z.object({ step: z.number().int(), runs: z.number().int(), updatedAt: z.string(), lease: leaseSchema.nullable() });
export type TestCheckpoint = z.infer<typeof testCheckpointSchema>;

export type MakeCheckpointRuns = () => Promise<() => CheckpointStore<TestCheckpoint>>;

const start = (previous: TestCheckpoint | undefined): TestCheckpoint => ({
  step: previous?.step ?? 0,
  runs: (previous?.runs ?? 0) + 1,
  updatedAt: new Date().toISOString(),
  lease: null,
});

export function describeCheckpointStoreContract(name: string, make: MakeCheckpointRuns): void {
  describe(`CheckpointStore contract: ${name}`, function () {
    this.timeout(30_000);
    let openRun: () => CheckpointStore<TestCheckpoint>;
    beforeEach(async () => {
      openRun = await make();
    });

    it('starts from nothing, holds the lease while a run goes, and refuses a second run meanwhile', async () => {
      const first = openRun();
      expect(await first.read()).to.equal(undefined);
      const started = await first.acquire(start);
      expect(started).to.deep.include({ step: 0, runs: 1 });
      expect(started.lease).to.not.equal(null);
      expect(await first.read()).to.deep.include({ runs: 1, lease: started.lease });
      expect(await rejectionOf(openRun().acquire(start))).to.be.instanceOf(ConflictError);
    });

    it('saves progress under the lease and releases it at the end; the next run starts from what was saved', async () => {
      const first = openRun();
      const started = await first.acquire(start);
      await first.save({ ...started, step: 3 });
      expect(await first.read()).to.have.property('step', 3);
      await first.save({ ...started, step: 5 }, true);
      expect(await first.read()).to.deep.include({ step: 5, lease: null });
      const next = await openRun().acquire(start);
      expect(next).to.deep.include({ step: 5, runs: 2 });
    });

    it('stops a run whose lease another run took over, at its next save', async () => {
      const first = openRun();
      const started = await first.acquire(start);
      await first.save({ ...started, step: 1 }, true);
      const second = openRun();
      await second.acquire(start);
      expect(await rejectionOf(first.save({ ...started, step: 2 }))).to.be.instanceOf(ConflictError);
      expect(await second.read()).to.deep.include({ step: 1, runs: 2 });
    });
  });
}
