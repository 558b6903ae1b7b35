import { Timestamp } from '@google-cloud/firestore';
import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_BATCH_SIZE } from '../../functions/migration/apply-migration.js';
import { legacyAsset, legacyAssetId } from '../../scripts/lib/legacy-asset-generator.js';
import { snapshotCollection, testFirestore } from '../support/firestore-direct.js';
import { migrate } from '../support/migrate-cli.js';
import { FIXTURE_COUNT, MIGRATION_ID, seedMigrationFixture } from '../support/migration-fixture.js';
import { TEST_OUTPUT } from '../support/test-environment.js';

describe('migrate: apply, verify, rollback on 1,100 assets', function () {
  this.timeout(120_000);

  beforeEach(async () => {
    await seedMigrationFixture();
  });

  it('a dry run (apply without --yes) and plan change nothing and write no checkpoint', async () => {
    const before = await snapshotCollection('assets');
    const dry = await migrate(['apply', '--migration', MIGRATION_ID]);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.report?.['dryRun']).to.equal(true);
    // Every tenth asset already has both fields: 990 would be migrated.
    expect((dry.report?.['counts'] as Record<string, number>)['migrated']).to.equal(990);
    const plan = await migrate(['plan', '--migration', MIGRATION_ID, '--sample', '2']);
    expect(plan.code, plan.stderr).to.equal(0);
    const sample = plan.report?.['sample'] as { id: string; changes: Record<string, unknown> }[];
    expect(sample).to.have.length(2);
    // _sys: a migration that changes searchable text also rewrites the search terms.
    expect(Object.keys(sample[0]!.changes).sort()).to.deep.equal(['_sys', 'aiMetadata', 'creatorDescription']);
    expect(await snapshotCollection('assets')).to.deep.equal(before);
    expect(await snapshotCollection('migrations')).to.deep.equal({});
  });

  it('apply then verify is clean; rollback restores every document byte for byte', async () => {
    const before = await snapshotCollection('assets');
    const unmigrated = await migrate(['verify', '--migration', MIGRATION_ID]);
    expect(unmigrated.code).to.equal(1);
    expect((unmigrated.report?.['counts'] as Record<string, number>)['errors']).to.equal(990);

    const applied = await migrate(['apply', '--migration', MIGRATION_ID, '--yes']);
    expect(applied.code, applied.stderr).to.equal(0);
    expect(applied.report?.['counts']).to.deep.equal({ scanned: FIXTURE_COUNT, migrated: 990, skipped: 110, conflicts: 0, errors: 0 });
    expect(applied.events.filter((event) => event['event'] === 'batch')).to.have.length(Math.ceil(FIXTURE_COUNT / DEFAULT_BATCH_SIZE));
    expect(applied.stderr).to.match(/migrated 990/);
    // The total is counted beside the first reads, yet `start` (carrying it) is still the first event.
    expect(applied.events[0]).to.include({ event: 'start', total: FIXTURE_COUNT });
    expect(applied.report?.['cpuMs']).to.be.a('number').and.to.be.greaterThan(0);
    expect(applied.report?.['mainThreadBusy']).to.be.a('number').within(0, 1);

    // The backup of each migrated document is its history entry, the before-image one encoded string.
    const entries = await testFirestore().collectionGroup('history').where('migrationId', '==', MIGRATION_ID).get();
    expect(entries.size).to.equal(990);
    const entry = (
      await testFirestore()
        .doc(`assets/${legacyAssetId(3)}/history/migration-${MIGRATION_ID}`)
        .get()
    ).data()!;
    expect(entry).to.include({ writer: 'migration', actor: 'test-operator', beforeScope: 'document', migrationId: MIGRATION_ID });
    expect(entry['changedFields']).to.deep.equal(['_sys', 'aiMetadata', 'creatorDescription']);
    expect(entry['before']).to.be.a('string').and.to.contain('"createdAt":{"$ts":');
    expect((entry['expireAt'] as Timestamp).toMillis()).to.be.greaterThan((entry['at'] as Timestamp).toMillis());

    const verified = await migrate(['verify', '--migration', MIGRATION_ID]);
    expect(verified.code, verified.stdout).to.equal(0);
    expect(verified.report?.['status']).to.equal('clean');

    const after = await snapshotCollection('assets');
    const timestamped = after[legacyAssetId(3)] as Record<string, unknown>;
    expect(timestamped['createdAt']).to.be.instanceOf(Timestamp);
    expect(timestamped['creatorDescription']).to.equal(legacyAsset(3)['name']);
    expect(timestamped['aiMetadata']).to.deep.equal({
      generatedBy: 'Legacy',
      generationStrategy: 'pre-ai',
      generatedAt: '2025-01-01T00:03:00.000Z',
      confidence: 0.5,
    });
    expect(after[legacyAssetId(10)]).to.deep.equal(before[legacyAssetId(10)]);
    const partial = after[legacyAssetId(5)] as Record<string, unknown>;
    expect(partial['creatorDescription']).to.equal('Only a description for asset 5');

    const status = await migrate(['status', '--migration', MIGRATION_ID]);
    const checkpoint = JSON.parse(status.stdout) as Record<string, unknown>;
    expect(checkpoint).to.include({ status: 'completed', operator: 'test-operator', cursor: legacyAssetId(FIXTURE_COUNT - 1), lease: null });

    const rolledBack = await migrate(['rollback', '--migration', MIGRATION_ID, '--yes']);
    expect(rolledBack.code, rolledBack.stderr).to.equal(0);
    expect((rolledBack.report?.['counts'] as Record<string, number>)['migrated']).to.equal(990);
    expect(await snapshotCollection('assets')).to.deep.equal(before);
  });

  it('rollback refuses a document changed since the migration unless forced', async () => {
    const before = await snapshotCollection('assets');
    expect((await migrate(['apply', '--migration', MIGRATION_ID, '--yes'])).code).to.equal(0);
    await testFirestore().collection('assets').doc(legacyAssetId(1)).update({ description: 'edited after the migration' });
    const refused = await migrate(['rollback', '--migration', MIGRATION_ID, '--yes']);
    expect(refused.code).to.equal(1);
    expect(refused.report?.['refused']).to.deep.equal([
      { id: legacyAssetId(1), reason: 'changed since the migration wrote it (use --force to restore anyway)' },
    ]);
    const edited = (await testFirestore().collection('assets').doc(legacyAssetId(1)).get()).data()!;
    expect(edited['description']).to.equal('edited after the migration');
    expect(edited['creatorDescription']).to.be.a('string');
    const forced = await migrate(['rollback', '--migration', MIGRATION_ID, '--yes', '--force']);
    expect(forced.code, forced.stderr).to.equal(0);
    expect(await snapshotCollection('assets')).to.deep.equal(before);
  });

  it('backs up to an NDJSON file, Timestamps included, and rolls back from it', async () => {
    const before = await snapshotCollection('assets');
    const file = path.join(mkdtempSync(path.join(TEST_OUTPUT, 'migration-')), 'backup.ndjson');
    const applied = await migrate(['apply', '--migration', MIGRATION_ID, '--yes', '--backup', `file:${file}`, '--batch-size', '250']);
    expect(applied.code, applied.stderr).to.equal(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).to.have.length(990);
    expect(lines.some((line) => line.includes('"createdAt":{"$ts":'))).to.equal(true);
    expect((await testFirestore().collectionGroup('history').get()).size).to.equal(0);
    const rolledBack = await migrate(['rollback', '--migration', MIGRATION_ID, '--yes']);
    expect(rolledBack.code, rolledBack.stderr).to.equal(0);
    expect(await snapshotCollection('assets')).to.deep.equal(before);
  });

  it('keeps its checkpoint in MIGRATIONS_COLLECTION, where the status page reads it', async () => {
    const applied = await migrate(['apply', '--migration', MIGRATION_ID, '--yes', '--limit', '10'], { MIGRATIONS_COLLECTION: 'rehearsal_migrations' });
    expect(applied.code, applied.stderr).to.equal(0);
    expect(Object.keys(await snapshotCollection('rehearsal_migrations'))).to.deep.equal([MIGRATION_ID]);
    expect(await snapshotCollection('migrations')).to.deep.equal({});
  });

  it('with FLAG_MIGRATION_WRITES off, apply --yes and rollback --yes are dry runs', async () => {
    const before = await snapshotCollection('assets');
    const applied = await migrate(['apply', '--migration', MIGRATION_ID, '--yes'], { FLAG_MIGRATION_WRITES: 'false' });
    expect(applied.code, applied.stderr).to.equal(0);
    expect(applied.report?.['dryRun']).to.equal(true);
    expect(applied.events[0]).to.deep.equal({ event: 'notice', message: 'MIGRATION_WRITES is off: this is a dry run and nothing is written' });
    expect(await snapshotCollection('assets')).to.deep.equal(before);
    expect(await snapshotCollection('migrations')).to.deep.equal({});
  });
});
