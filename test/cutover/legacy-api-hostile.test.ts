import { expect } from 'chai';
import { snapshotCollection } from '../support/firestore-direct.js';
import { startFakeLegacyBackend, type FakeLegacyBackend, type Misbehaviour } from '../support/fake-legacy-backend.js';
import { runImport, type MigrateResult } from '../support/migrate-cli.js';
import { stagingAssets } from '../support/staging-export.js';

/** 60 staging assets, at most 10 a page (6 pages), from a backend that misbehaves this way. */
async function importFrom(misbehaviour: Misbehaviour, command: 'plan' | 'apply' = 'apply'): Promise<{ result: MigrateResult; backend: FakeLegacyBackend }> {
  const backend = await startFakeLegacyBackend({ documents: stagingAssets(), maxLimit: 10, misbehaviour });
  try {
    const args = [command, '--from', backend.url, '--token', backend.token, '--page-size', '10', ...(command === 'apply' ? ['--yes'] : [])];
    return { result: await runImport(args), backend };
  } finally {
    await backend.stop();
  }
}

describe("import: an old backend's API that misbehaves", function () {
  this.timeout(180_000);

  it('reads a page only up to its size bound: a 1 GB first page exits 2 having written nothing; a later one stops the run, reported, exit 1', async () => {
    const first = await importFrom({ kind: 'huge-page', page: 1, bytes: 1024 ** 3 });
    expect(first.result.code, first.result.stderr).to.equal(2);
    expect(first.result.stderr).to.match(/answered more than 8388608 bytes: not read/);
    expect(await snapshotCollection('assets')).to.deep.equal({});

    const later = await importFrom({ kind: 'huge-page', page: 3, bytes: 1024 ** 3 });
    expect(later.result.code, later.result.stderr).to.equal(1);
    expect(later.result.report).to.deep.include({ status: 'failed' });
    expect(later.result.report?.['error']).to.match(/page=3&limit=10 answered more than 8388608 bytes/);
    expect(later.result.report?.['counts']).to.deep.include({ read: 20, created: 20 });
    expect(JSON.parse((await runImport(['status'])).stdout)).to.deep.include({ status: 'failed' });
  });

  it('stops paging on a page served again and again, reported, exit 1 (not an endless run)', async () => {
    const { result } = await importFrom({ kind: 'repeat-page', page: 3 }, 'plan');
    expect(result.code, result.stderr).to.equal(1);
    expect(result.report).to.deep.include({ status: 'failed', error: 'LegacySourceError: page 3 repeats page 2: paging stopped there' });
    expect(result.report?.['counts']).to.deep.include({ read: 20, created: 20 });
  });

  it('stops paging past the total the source announced, and on an empty page while the total says more, reported, exit 1', async () => {
    const low = await importFrom({ kind: 'lying-total', total: 15 }, 'plan');
    expect(low.result.code, low.result.stderr).to.equal(1);
    expect(low.result.report).to.deep.include({
      status: 'failed',
      error: "LegacySourceError: page 2 goes past the 15 assets the source's total announced: paging stopped there",
    });
    const high = await importFrom({ kind: 'lying-total', total: 100_000 }, 'plan');
    expect(high.result.report).to.deep.include({
      status: 'failed',
      error: "LegacySourceError: page 7 is empty after 60 of the 100000 assets the source's total announced: paging stopped there",
    });
    expect(high.result.code).to.equal(1);
    const empty = await importFrom({ kind: 'empty-page', page: 4 }, 'plan');
    expect(empty.result.code).to.equal(1);
    expect(empty.result.report?.['error']).to.match(/page 4 is empty after 30 of the 60 assets/);
  });

  it('refuses a redirect off the source origin (exit 2, nothing written), and reports an item whose bytes are not UTF-8', async () => {
    const { result } = await importFrom({ kind: 'redirect', page: 1, location: 'http://127.0.0.2:9/api/assets?page=1' });
    expect(result.code, result.stderr).to.equal(2);
    expect(result.stderr).to.match(/redirects to http:\/\/127\.0\.0\.2:9\/api\/assets\?page=1, off the source's origin http:\/\/127\.0\.0\.1:\d+: refused/);
    expect(await snapshotCollection('assets')).to.deep.equal({});

    const bytes = await importFrom({ kind: 'not-utf8', page: 2 });
    expect(bytes.result.code, bytes.result.stderr).to.equal(1);
    expect(bytes.result.report?.['counts']).to.deep.include({ read: 60, created: 59, failed: 1 });
    expect((bytes.result.report?.['failures'] as Array<Record<string, unknown>>)[0]).to.deep.include({
      position: 'page 2 item 1',
      id: stagingAssets()[10]!._id,
      reason: 'bad-input',
      message: '(document): holds bytes that are not UTF-8: not read',
    });
  });
});
