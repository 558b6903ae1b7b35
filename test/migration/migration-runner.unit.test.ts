import { expect } from 'chai';
import type { Metrics } from '../../functions/domain/ports/metrics.js';
import { applyMigration, type ApplyOptions } from '../../functions/migration/apply-migration.js';
import type { Checkpoint } from '../../functions/migration/checkpoint.js';
import type { Migration, PlainDocument } from '../../functions/migration/migration.js';
import type { BackupTarget } from '../../functions/migration/ports.js';
import { rollbackMigration } from '../../functions/migration/rollback-migration.js';
import { verifyMigration } from '../../functions/migration/verify-migration.js';
import { CheckpointDocument, InMemoryCheckpointStore } from '../support/fakes/in-memory-checkpoint-store.js';
import { InMemoryMigrationStore } from '../support/fakes/in-memory-migration-store.js';

/** Adds `shelf` from the description: selected until it has one. */
const shelving: Migration = {
  id: '2099-01-shelf',
  description: 'a shelf for every asset',
  selects: (document) => !('shelf' in document),
  up: (document) => ({ ...document, shelf: String(document['description']).toUpperCase() }),
  verify: (document) => (typeof document['shelf'] === 'string' ? [] : ['shelf: missing']),
};

const noMetrics: Metrics = { count: () => undefined, observe: () => undefined };
const HISTORY: BackupTarget = { kind: 'history', path: 'assets' };
const asset = (index: number): PlainDocument => ({ name: `S.POP.BAS.${String(index).padStart(3, '0')}`, description: `asset ${index}` });
const ids = (count: number): string[] => Array.from({ length: count }, (_, index) => `a${String(index).padStart(3, '0')}`);

function world(count: number) {
  const store = new InMemoryMigrationStore();
  ids(count).forEach((id, index) => store.put(id, asset(index)));
  const checkpoint = new CheckpointDocument<Checkpoint>();
  const apply = (options: Partial<ApplyOptions> = {}) =>
    applyMigration(
      {
        store,
        migration: shelving,
        metrics: noMetrics,
        onProgress: () => undefined,
        checkpoints: new InMemoryCheckpointStore(checkpoint),
        defaultBackup: () => HISTORY,
      },
      { batchSize: 4, concurrency: 2, limit: undefined, dryRun: false, operator: 'ops@example.com', backup: undefined, sample: 0, testDelayMs: 0, ...options },
    );
  const rollback = (force = false) =>
    rollbackMigration(
      { store, migration: shelving, metrics: noMetrics, onProgress: () => undefined, checkpoints: new InMemoryCheckpointStore(checkpoint) },
      { batchSize: 4, concurrency: 2, dryRun: false, force, operator: 'ops@example.com' },
    );
  const verify = () => verifyMigration(store, shelving, 4, 'ops@example.com', () => undefined);
  return { store, checkpoint, apply, rollback, verify };
}

describe('migrations: the runner over a fake store (apply, verify, rollback)', () => {
  it('migrates every selected document in batches, verifies them, and rolls each back to its original exactly', async () => {
    const { store, checkpoint, apply, rollback, verify } = world(10);
    expect((await verify()).offenders).to.have.length(10);
    const applied = await apply();
    expect(applied).to.deep.include({ status: 'completed', counts: { scanned: 10, migrated: 10, skipped: 0, conflicts: 0, errors: 0 } });
    expect(store.stored('a003')).to.include({ shelf: 'ASSET 3' });
    expect((await verify()).offenders).to.deep.equal([]);
    expect(checkpoint.value).to.deep.include({ status: 'completed', cursor: 'a009', lease: null });
    const rolledBack = await rollback();
    expect(rolledBack.status).to.equal('rolled-back');
    for (const [index, id] of ids(10).entries()) expect(store.stored(id)).to.deep.equal(asset(index));
  });

  it('stops at --limit with its cursor and resumes there, skipping what is already migrated', async () => {
    const { store, checkpoint, apply } = world(10);
    const first = await apply({ limit: 6 });
    expect(first).to.deep.include({ status: 'stopped', cursor: 'a005' });
    expect(store.stored('a006')).to.not.have.property('shelf');
    const second = await apply();
    expect(second.status).to.equal('completed');
    expect(second.counts).to.include({ scanned: 10, migrated: 10 });
    expect(checkpoint.value).to.deep.include({ runs: 2 });
  });

  it('migrates again a document an API write changed under its batch, keeping that write', async () => {
    const { store, apply } = world(3);
    store.beforeNextCommit(() => store.put('a001', { ...asset(1), description: 'an API write' }));
    const report = await apply();
    expect(report.counts).to.include({ migrated: 3 });
    expect(report.counts.conflicts).to.be.at.least(1);
    expect(store.stored('a001')).to.include({ description: 'an API write', shelf: 'AN API WRITE' });
  });

  it('refuses to roll back a document changed since the migration wrote it, unless forced', async () => {
    const { store, apply, rollback } = world(2);
    await apply();
    store.put('a000', { ...store.stored('a000'), description: 'edited after the migration' });
    const refused = await rollback();
    expect(refused.status).to.equal('rollback-incomplete');
    expect(refused.refused).to.deep.equal([{ id: 'a000', reason: 'changed since the migration wrote it (use --force to restore anyway)' }]);
    expect(store.stored('a001')).to.deep.equal(asset(1));
    await rollback(true);
    expect(store.stored('a000')).to.deep.equal(asset(0));
  });
});
