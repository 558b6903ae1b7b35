import { expect } from 'chai';
import { legacyAsset, legacyAssetId } from '../../scripts/lib/legacy-asset-generator.js';
import { useApi } from '../support/api-server.js';
import { snapshotCollection, testFirestore } from '../support/firestore-direct.js';
import { migrate, startMigrate } from '../support/migrate-cli.js';
import { MIGRATION_ID, seedMigrationFixture } from '../support/migration-fixture.js';
import { TOKENS } from '../support/test-environment.js';

describe('migrate: concurrent writers', function () {
  this.timeout(180_000);
  const api = useApi();

  before(async () => {
    // A first request warms the server, so the update below lands while the batch is held back.
    await fetch(`${api.url}/api/assets?limit=1`);
  });
  beforeEach(async () => {
    await seedMigrationFixture();
  });

  it('keeps an API update made between the read and the write of a batch, and still migrates that asset', async () => {
    // MIGRATION_TEST_DELAY_MS holds each commit back after its batch was read (test-only switch).
    const run = startMigrate(['apply', '--migration', MIGRATION_ID, '--yes', '--batch-size', '100', '--concurrency', '1', '--limit', '300'], {
      MIGRATION_TEST_DELAY_MS: '3000',
    });
    const target = legacyAssetId(101);
    let patched: Promise<Response> | undefined;
    run.onEvent((event) => {
      if (event['event'] === 'read' && event['batch'] === 2) {
        patched = fetch(`${api.url}/api/assets/${target}`, {
          method: 'PATCH',
          headers: { Authorization: TOKENS.editor, 'Content-Type': 'application/json' },
          body: JSON.stringify({ description: 'changed through the API during the migration' }),
        });
      }
    });
    const result = await run.done;
    expect(result.code, result.stderr).to.equal(0);
    expect(result.report?.['status']).to.equal('stopped');
    expect(patched, 'the API update was sent').to.not.equal(undefined);
    expect((await patched!).status).to.equal(200);
    expect((result.report?.['counts'] as Record<string, number>)['conflicts']).to.equal(1);
    const stored = (await testFirestore().collection('assets').doc(target).get()).data()!;
    expect(stored['description']).to.equal('changed through the API during the migration');
    expect(stored['creatorDescription']).to.equal(legacyAsset(101)['name']);
    expect(stored['aiMetadata']).to.include({ generatedBy: 'Legacy', generationStrategy: 'pre-ai', confidence: 0.5 });
    // The run stopped at --limit; the next one resumes after it and completes.
    const rest = await migrate(['apply', '--migration', MIGRATION_ID, '--yes']);
    expect(rest.report?.['status']).to.equal('completed');
    expect((rest.report?.['counts'] as Record<string, number>)['scanned']).to.equal(1100);
    expect((await migrate(['verify', '--migration', MIGRATION_ID])).code).to.equal(0);
  });

  it('a second run of the same migration is refused while the first holds the lease, and writes nothing', async () => {
    const before = await snapshotCollection('assets');
    // The first run holds its first commit back long enough for the second to try and give up.
    const first = startMigrate(['apply', '--migration', MIGRATION_ID, '--yes', '--concurrency', '1'], { MIGRATION_TEST_DELAY_MS: '30000' });
    await new Promise<void>((resolve) => first.onEvent((event) => event['event'] === 'start' && resolve()));
    const holder = ((await testFirestore().collection('migrations').doc(MIGRATION_ID).get()).data()!['lease'] as { holder: string }).holder;
    const second = await migrate(['apply', '--migration', MIGRATION_ID, '--yes']);
    expect(second.code).to.equal(3);
    expect(second.stderr).to.match(/is being run by test-operator@.*wait for it to finish/);
    expect(second.report).to.equal(undefined);
    const checkpoint = (await testFirestore().collection('migrations').doc(MIGRATION_ID).get()).data()!;
    expect((checkpoint['lease'] as { holder: string }).holder).to.equal(holder);
    expect(checkpoint['runs']).to.equal(1);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).to.equal('SIGKILL');
    expect(await snapshotCollection('assets')).to.deep.equal(before);
  });
});
