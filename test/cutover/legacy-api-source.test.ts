import { expect } from 'chai';
import { snapshotCollection } from '../support/firestore-direct.js';
import { startFakeLegacyBackend, type FakeLegacyBackend } from '../support/fake-legacy-backend.js';
import { importedAssets } from '../support/import-fixture.js';
import { runImport } from '../support/migrate-cli.js';
import { STAGING_EXPORT, stagingAssets } from '../support/staging-export.js';

/** Everything the importer could have written: assets, counters, its checkpoint. */
async function everything(): Promise<unknown[]> {
  return Promise.all(['assets', 'assets_sequences', 'imports'].map((name) => snapshotCollection(name)));
}

describe("import: the old backend's REST API as the source, page by page", function () {
  this.timeout(120_000);
  let backend: FakeLegacyBackend;
  before(async () => {
    // The backend serves at most 7 a page whatever is asked: 60 assets are 9 pages.
    backend = await startFakeLegacyBackend({ documents: stagingAssets(), maxLimit: 7 });
  });
  after(async () => backend.stop());
  beforeEach(() => {
    backend.requests.length = 0;
  });

  it('imports every page with a bearer token, exactly as the export file imports', async () => {
    const result = await runImport(['apply', '--from', backend.url, '--token', backend.token, '--page-size', '50', '--yes']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.report?.['counts']).to.deep.include({ read: 60, created: 60, failed: 0 });
    expect(result.report?.['source']).to.equal(backend.url);
    expect(backend.requests).to.deep.equal(Array.from({ length: 9 }, (_, index) => `GET /api/assets?page=${index + 1}&limit=50`));
    const fromApi = await importedAssets();
    expect((await runImport(['verify', '--from', STAGING_EXPORT])).code, 'the export verifies against what the API imported').to.equal(0);
    expect(Object.keys(fromApi)).to.have.members(stagingAssets().map((asset) => asset._id));
  });

  it('signs in at /auth/login with --email and --password', async () => {
    const result = await runImport(['plan', '--from', backend.url, '--email', 'ops@example.com', '--password', 'correct horse']);
    expect(result.code, result.stderr).to.equal(0);
    expect(backend.requests[0]).to.equal('POST /api/auth/login');
    expect(result.report?.['counts']).to.deep.include({ read: 60, created: 60 });
  });

  it('exits 2 and writes nothing when the token or the password is wrong, or the backend is not there', async () => {
    const before = await everything();
    for (const credentials of [
      ['--token', 'not-the-token'],
      ['--email', 'ops@example.com', '--password', 'wrong'],
    ]) {
      const result = await runImport(['apply', '--from', backend.url, ...credentials, '--yes']);
      expect(result.code, result.stderr).to.equal(2);
      expect(result.stderr).to.match(/refused the credentials \(HTTP 401\)/);
    }
    const unreachable = await runImport(['apply', '--from', 'http://127.0.0.1:9/api', '--token', 'x', '--yes']);
    expect(unreachable.code, unreachable.stderr).to.equal(2);
    const clearText = await runImport(['apply', '--from', 'http://registry.example.com/api', '--token', 'x', '--yes']);
    expect(clearText.code).to.equal(2);
    expect(clearText.stderr).to.match(/use https/);
    expect(await everything()).to.deep.equal(before);
  });
});
