import { expect } from 'chai';
import { snapshotCollection } from '../support/firestore-direct.js';
import { migrate } from '../support/migrate-cli.js';
import { MIGRATION_ID, seedMigrationFixture } from '../support/migration-fixture.js';

describe('migrate: bad input is refused with a clear error and changes nothing', function () {
  this.timeout(60_000);
  let before: Record<string, unknown>;

  beforeEach(async () => {
    await seedMigrationFixture(200);
    before = await snapshotCollection('assets');
  });
  afterEach(async () => {
    expect(await snapshotCollection('assets')).to.deep.equal(before);
    expect(await snapshotCollection('migrations')).to.deep.equal({});
  });

  const cases: { name: string; args: string[]; env?: Record<string, string>; code: number; message: RegExp }[] = [
    { name: 'an unknown command', args: ['frobnicate'], code: 2, message: /unknown command 'frobnicate'/ },
    {
      name: 'an unknown migration id',
      args: ['apply', '--migration', 'nope', '--yes'],
      code: 2,
      message: /Unknown migration "nope"; known: 2025-06-creator-description/,
    },
    { name: 'a missing migration id', args: ['apply', '--yes'], code: 2, message: /required option '-m, --migration <id>' not specified/ },
    {
      name: 'a batch size of 0',
      args: ['apply', '--migration', MIGRATION_ID, '--yes', '--batch-size', '0'],
      code: 2,
      message: /--batch-size must be a whole number from 1 to 500/,
    },
    {
      name: 'a batch size that is not a number',
      args: ['apply', '--migration', MIGRATION_ID, '--yes', '--batch-size', 'ten'],
      code: 2,
      message: /--batch-size must be a whole number from 1 to 500/,
    },
    {
      name: 'a bad backup target',
      args: ['apply', '--migration', MIGRATION_ID, '--yes', '--backup', 'tape'],
      code: 2,
      message: /use "history" or "file:<path/,
    },
    {
      name: 'rollback without a run',
      args: ['rollback', '--migration', MIGRATION_ID, '--yes'],
      code: 2,
      message: /has never been applied: there is nothing to roll back/,
    },
    {
      name: 'the test delay outside local/test',
      args: ['apply', '--migration', MIGRATION_ID, '--yes'],
      env: { DEPLOY_ENV: 'production', MIGRATION_TEST_DELAY_MS: '10' },
      code: 2,
      message: /MIGRATION_TEST_DELAY_MS slows migrations for tests and is refused when DEPLOY_ENV=production/,
    },
  ];
  for (const testCase of cases) {
    it(`refuses ${testCase.name}`, async () => {
      const result = await migrate(testCase.args, testCase.env);
      expect(result.code, result.stderr).to.equal(testCase.code);
      expect(result.stderr).to.match(testCase.message);
    });
  }

  it('prints help naming every command and option', async () => {
    const result = await migrate(['--help']);
    expect(result.code).to.equal(0);
    for (const word of ['list', 'plan', 'apply', 'verify', 'rollback', 'status']) expect(result.stdout).to.include(word);
    const apply = await migrate(['apply', '--help']);
    for (const option of ['--migration', '--batch-size', '--limit', '--dry-run', '--yes', '--concurrency', '--backup', '--operator'])
      expect(apply.stdout).to.include(option);
  });
});
