import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { migrate } from '../support/migrate-cli.js';
import { MIGRATION_ID, seedMigrationFixture } from '../support/migration-fixture.js';
import { TEST_OUTPUT, TEST_PROJECT } from '../support/test-environment.js';

describe('migrate: the command line finds its database, labels and helps truly', function () {
  this.timeout(60_000);
  const stateDirectory = mkdtempSync(path.join(TEST_OUTPUT, 'stack-state-'));
  const noStack = { FIRESTORE_EMULATOR_HOST: '', DEPLOY_ENV: 'local', LOCAL_STACK_STATE_FILE: path.join(stateDirectory, 'none.json') };

  it('lists the migrations offline: no emulator, no stack, no project', async () => {
    const result = await migrate(['list'], { ...noStack, GOOGLE_CLOUD_PROJECT: '' });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.events.map((event) => event['id'])).to.include(MIGRATION_ID);
    expect(result.stderr).to.equal('');
  });

  it('names what to start or set when no local stack runs and no database is named', async () => {
    const result = await migrate(['status', '--migration', MIGRATION_ID], noStack);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/No local stack is running: start one with `npm start`.*FIRESTORE_EMULATOR_HOST=<host:port>/);
  });

  it('finds the running local stack through the state file npm start writes, without a metadata-server warning', async () => {
    const stateFile = path.join(stateDirectory, 'local-stack.json');
    const state = {
      pid: process.pid,
      projectId: TEST_PROJECT,
      apiUrl: 'http://127.0.0.1:1/api',
      firestoreHost: process.env['FIRESTORE_EMULATOR_HOST'],
      pubsubHost: '',
    };
    writeFileSync(stateFile, JSON.stringify(state));
    const result = await migrate(['status', '--migration', MIGRATION_ID], { ...noStack, LOCAL_STACK_STATE_FILE: stateFile, GOOGLE_CLOUD_PROJECT: '' });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.include(`using the local stack's Firestore emulator at ${state.firestoreHost}`);
    expect(result.stderr).not.to.match(/metadata/i);
    expect(result.report ?? result.events[0]).to.include({ status: 'never-run' });
  });

  it('labels a plan as plan, in every event and in the report', async () => {
    await seedMigrationFixture(30);
    const result = await migrate(['plan', '--migration', MIGRATION_ID]);
    expect(result.code, result.stderr).to.equal(0);
    const labels = result.events.flatMap((event) => (typeof event['command'] === 'string' ? [event['command']] : []));
    expect(labels.length).to.be.greaterThan(0);
    expect([...new Set(labels)]).to.deep.equal(['plan']);
  });

  it("lists only each command's own options in its help", async () => {
    const plan = await migrate(['plan', '--help']);
    expect(plan.stdout).to.include('--sample').and.include('--migration');
    for (const option of ['--yes', '--dry-run', '--backup', '--force', '--operator']) expect(plan.stdout).not.to.include(option);
    const apply = await migrate(['apply', '--help']);
    for (const option of ['--sample', '--force']) expect(apply.stdout).not.to.include(option);
    const rollback = await migrate(['rollback', '--help']);
    expect(rollback.stdout).to.include('--force');
    for (const option of ['--sample', '--backup', '--limit']) expect(rollback.stdout).not.to.include(option);
    const list = await migrate(['list', '--help']);
    expect(list.stdout).not.to.include('--migration');
  });
});
