import { expect } from 'chai';
import type { ImportCheckpoint } from '../../functions/cutover/import-checkpoint.js';
import { importAssets, type ImportOptions } from '../../functions/cutover/import-assets.js';
import type { ImportReport } from '../../functions/cutover/import-report.js';
import type { LegacyDocument } from '../../functions/cutover/legacy-asset.js';
import type { Counter, LegacyAssetSource, SourceRecord, TargetWrite } from '../../functions/cutover/ports.js';
import { LegacySourceError } from '../../functions/cutover/source-error.js';
import { WritePacer } from '../../functions/cutover/write-pacer.js';
import { taxonomy } from '../../functions/domain/taxonomy/taxonomy.js';
import { CheckpointDocument, InMemoryCheckpointStore } from '../support/fakes/in-memory-checkpoint-store.js';
import { InMemoryImportTarget } from '../support/fakes/in-memory-import-target.js';
import { stagingAssets, type OldBackendAsset } from '../support/staging-export.js';

const named = (name: string): OldBackendAsset => ({ ...stagingAssets().find((asset) => asset.name === name)! });
/** A composite of the staging export and the five assets it is made of. */
const COMPOSITE = 'C.FUL.POP.125:G.003.003.001:S.001.002.004:L.006.005.001:M.017.001.017:W.007.004.001';

function sourceOf(records: Array<LegacyDocument | SourceRecord>, stopAfter?: number): LegacyAssetSource {
  return {
    label: 'export.json',
    open: () => Promise.resolve(),
    async *records() {
      for (const [index, record] of records.entries()) {
        if (index === stopAfter) throw new LegacySourceError('the source stopped answering');
        yield 'position' in record ? (record as SourceRecord) : { position: `line ${index + 1}`, document: record };
        await Promise.resolve();
      }
    },
    progress: () => undefined,
  };
}

interface Run {
  target?: InMemoryImportTarget;
  checkpoints?: InMemoryCheckpointStore<ImportCheckpoint>;
  stopAfter?: number;
  options?: Partial<ImportOptions>;
}

function runImport(records: Array<LegacyDocument | SourceRecord>, run: Run = {}): Promise<ImportReport> {
  const dryRun = run.options?.dryRun ?? false;
  return importAssets(
    {
      source: sourceOf(records, run.stopAfter),
      target: run.target ?? new InMemoryImportTarget(),
      taxonomy,
      pacer: new WritePacer({ kind: 'unlimited' }),
      onProgress: () => undefined,
      checkpoints: dryRun ? undefined : (run.checkpoints ?? new InMemoryCheckpointStore<ImportCheckpoint>()),
    },
    { command: dryRun ? 'plan' : 'apply', dryRun, since: undefined, batchSize: 10, readAhead: 2, operator: 'ops@example.com', ...run.options },
  );
}

const anomalyCount = (report: ImportReport, kind: string): number => report.anomalies.find((anomaly) => anomaly.kind === kind)?.count ?? 0;

describe('import: the runner over a fake target (the decision per batch, read, written and recorded)', () => {
  it('creates every asset of an empty target with its history entry and counters, then writes nothing on a rerun over the same source', async () => {
    const target = new InMemoryImportTarget();
    const assets = stagingAssets();
    const first = await runImport(assets, { target });
    expect(first.status).to.equal('completed');
    expect(first.counts).to.deep.include({ read: 60, created: 60, updated: 0, unchanged: 0, failed: 0 });
    expect(target.stored(assets[0]!._id)).to.include({ name: assets[0]!.name });
    expect(target.historyCount(assets[0]!._id)).to.equal(1);
    expect(target.counter('G.HIP.MOD')).to.equal(first.sequences['G.HIP.MOD']).and.to.be.at.least(1);
    expect(first.documentsWritten).to.equal(60 * 2 + Object.keys(first.sequences).length);
    const again = await runImport(assets, { target });
    expect(again.counts).to.deep.include({ read: 60, created: 0, unchanged: 60 });
    expect(again.documentsWritten).to.equal(0);
  });

  it('updates only what changed in the source, and skips with --since what was not updated since', async () => {
    const target = new InMemoryImportTarget();
    const assets = stagingAssets();
    await runImport(assets, { target });
    const changed = { ...assets[5]!, description: 'changed in the old backend', updatedAt: '2030-01-01T00:00:00.000Z' };
    const rerun = assets.map((asset, index) => (index === 5 ? changed : asset));
    const report = await runImport(rerun, { target });
    expect(report.counts).to.deep.include({ created: 0, updated: 1, unchanged: 59 });
    expect(target.stored(changed._id)).to.include({ description: 'changed in the old backend' });
    expect(target.historyCount(changed._id)).to.equal(2);
    const since = await runImport(rerun, { target, options: { since: '2029-01-01T00:00:00.000Z' } });
    expect(since.counts).to.deep.include({ read: 60, skipped: 59, unchanged: 1 });
    expect(since.highWaterMark).to.equal('2030-01-01T00:00:00.000Z');
  });

  it('resumes from its checkpoint: a run stopped by its source keeps what it read and the last completed run; the next counts one more run', async () => {
    const target = new InMemoryImportTarget();
    const shared = new CheckpointDocument<ImportCheckpoint>();
    const assets = stagingAssets();
    const completed = await runImport(assets.slice(0, 20), { target, checkpoints: new InMemoryCheckpointStore(shared) });
    expect(shared.value).to.deep.include({ status: 'completed', runs: 1, highWaterMark: completed.highWaterMark, lease: null });
    const stopped = await runImport(assets, { target, checkpoints: new InMemoryCheckpointStore(shared), stopAfter: 35 });
    expect(stopped.status).to.equal('failed');
    expect(stopped.error).to.equal('LegacySourceError: the source stopped answering');
    expect(stopped.counts).to.deep.include({ read: 35, created: 15, unchanged: 20 });
    expect(shared.value).to.deep.include({ status: 'failed', runs: 2, lease: null });
    expect(shared.value!.lastCompleted).to.deep.include({ highWaterMark: completed.highWaterMark, counts: completed.counts });
    const resumed = await runImport(assets, { target, checkpoints: new InMemoryCheckpointStore(shared) });
    expect(resumed.counts).to.deep.include({ created: 25, unchanged: 35 });
    expect(shared.value).to.deep.include({ status: 'completed', runs: 3 });
    expect(shared.value!.lastCompleted!.counts).to.deep.equal(resumed.counts);
  });

  it('reports bad records by their position and id and imports the rest', async () => {
    const [first, second, ...rest] = stagingAssets();
    const records = [{ position: 'line 1', error: '(line): is not JSON', id: 'abc' }, { ...second!, layer: undefined }, first!, ...rest];
    const report = await runImport(records);
    expect(report.counts).to.deep.include({ read: 61, created: 59, failed: 2 });
    expect(report.failures).to.deep.equal([
      { position: 'line 1', id: 'abc', reason: 'bad-input', message: '(line): is not JSON' },
      { position: 'line 2', id: second!._id, reason: 'bad-input', message: 'layer: missing' },
    ]);
  });

  it('imports an id the source holds twice in two batches, the later record last, and reports it, writing or not', async () => {
    const star = named('S.RCK.MTL.001');
    const records = [star, { ...star, description: 'the later record' }];
    const target = new InMemoryImportTarget();
    const written = await runImport(records, { target });
    expect(written.counts).to.deep.include({ created: 1, updated: 1 });
    expect(target.stored(star._id)).to.include({ description: 'the later record' });
    // The second record's batch was read ahead of the first commit: its create is stale, read again and made an update.
    expect(target.commits).to.equal(3);
    expect(target.historyCount(star._id)).to.equal(2);
    expect(anomalyCount(written, 'duplicate-id')).to.equal(1);
    const planned = await runImport(records, { options: { dryRun: true } });
    expect(planned.status).to.equal('dry-run');
    expect(anomalyCount(planned, 'duplicate-id')).to.equal(1);
  });

  it('finds the components of a composite read before them; reports the ones no asset holds', async () => {
    const assets = stagingAssets();
    const composite = assets.find((asset) => asset.name === COMPOSITE)!;
    const others = assets.filter((asset) => asset !== composite);
    expect(anomalyCount(await runImport([composite, ...others]), 'dangling-component')).to.equal(
      anomalyCount(await runImport([...others, composite]), 'dangling-component'),
    );
    const alone = await runImport([composite]);
    expect(alone.anomalies.find((anomaly) => anomaly.kind === 'dangling-component')).to.deep.include({ count: 5 });
  });

  it('refuses a name another asset holds here and an asset deleted here, and plans without writing on a dry run', async () => {
    const target = new InMemoryImportTarget();
    const [taken, deleted, ...rest] = stagingAssets();
    target.put('api-asset', { name: taken!.name, layer: 'G' });
    target.markDeleted(deleted!._id);
    const plan = await runImport([taken!, deleted!, ...rest], { target, options: { dryRun: true } });
    expect(plan.counts).to.deep.include({ created: 58, failed: 2 });
    expect(plan.failures.map((failure) => failure.reason)).to.deep.equal(['name-conflict', 'deleted-here']);
    expect(target.commits).to.equal(0);
    expect(plan.documentsWritten).to.equal(0);
  });

  it('splits a refused commit so that only the refused asset fails; gives up on a batch that stays stale, naming each asset', async () => {
    const assets = stagingAssets().slice(0, 10);
    const refusing = new (class extends InMemoryImportTarget {
      override commit(writes: TargetWrite[], counters: Counter[]) {
        if (writes.some((write) => write.before.id === assets[3]!._id)) return Promise.resolve({ refused: 'too large' });
        return super.commit(writes, counters);
      }
    })();
    const refused = await runImport(assets, { target: refusing });
    expect(refused.counts).to.deep.include({ created: 9, failed: 1 });
    expect(refused.failures).to.deep.equal([
      { position: 'line 4', id: assets[3]!._id, name: assets[3]!.name, reason: 'bad-input', message: 'the database refused it: too large' },
    ]);
    const contended = new (class extends InMemoryImportTarget {
      override commit() {
        this.commits++;
        return Promise.resolve('stale' as const);
      }
    })();
    const stale = await runImport(assets.slice(0, 2), { target: contended });
    expect(contended.commits).to.equal(10);
    expect(stale.counts).to.deep.include({ failed: 2, created: 0 });
    expect(stale.failures.map((failure) => failure.reason)).to.deep.equal(['contention', 'contention']);
  });
});
