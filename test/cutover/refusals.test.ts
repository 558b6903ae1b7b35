import { expect } from 'chai';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useApi } from '../support/api-server.js';
import { starPayload } from '../support/asset-fixtures.js';
import { startFakeLegacyBackend } from '../support/fake-legacy-backend.js';
import { snapshotCollection, testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { runImport, startImport } from '../support/migrate-cli.js';
import { exportLine, STAGING_EXPORT, stagingAssets, stagingLines, writeExport, writeLines } from '../support/staging-export.js';
import { TOKENS } from '../support/test-environment.js';

interface Failure {
  position: string;
  id?: string;
  reason: string;
  message: string;
}

describe('import: what it refuses, and the rest it still imports', function () {
  this.timeout(120_000);
  const api = useApi();

  it('refuses an asset whose name this backend already holds under another id, names it, imports the rest and exits 1', async () => {
    const created = dataOf(
      await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ layer: 'G', category: 'Pop', subcategory: 'Teen_Pop' }) }),
    );
    expect(created['name']).to.equal('G.POP.TEN.001');
    const result = await runImport(['apply', '--from', STAGING_EXPORT, '--yes']);
    expect(result.code, result.stderr).to.equal(1);
    const clash = stagingAssets().find((asset) => asset.name === 'G.POP.TEN.001')!;
    expect(result.report?.['counts']).to.deep.include({ read: 60, created: 59, failed: 1 });
    expect(result.report?.['failures']).to.deep.equal([
      {
        position: 'line 3',
        id: clash._id,
        name: 'G.POP.TEN.001',
        reason: 'name-conflict',
        message: `G.POP.TEN.001 is already held by asset ${String(created['id'])} in this backend`,
      },
    ]);
    expect((await testFirestore().collection('assets').doc(clash._id).get()).exists).to.equal(false);
    expect(dataOf(await call(api.url, 'GET', `/api/assets/${String(created['id'])}`))['description']).to.equal(created['description']);
    const verify = await runImport(['verify', '--from', STAGING_EXPORT]);
    expect(verify.code).to.equal(1);
    expect(verify.report?.['differences']).to.deep.equal([
      { id: clash._id, kind: 'missing', detail: `not imported: G.POP.TEN.001 is held by asset ${String(created['id'])}` },
    ]);
  });

  it('reports bad lines and documents with their line or id (malformed, unknown $ type, no name, no layer), imports the rest and exits 1', async () => {
    const [first, second, third, fourth, ...rest] = stagingAssets();
    const lines = [
      exportLine(first!),
      '{"_id":{"$oid":"6868aaaa5f3e9d1c2b1a2b90"},"name":"G.POP.BAD.001",',
      exportLine({ ...second!, tags: { $regex2: 'x' } }),
      exportLine({ ...third!, name: undefined }),
      exportLine({ ...fourth!, layer: undefined }),
      ...rest.map(exportLine),
    ];
    const result = await runImport(['apply', '--from', writeLines('bad.json', lines), '--yes']);
    expect(result.code, result.stderr).to.equal(1);
    expect(result.report?.['counts']).to.deep.include({ read: 61, created: 57, failed: 4 });
    const failures = (result.report?.['failures'] as Failure[]).map(({ position, id, reason, message }) => ({ position, id, reason, message }));
    expect(failures).to.deep.equal([
      { position: 'line 2', id: '6868aaaa5f3e9d1c2b1a2b90', reason: 'bad-input', message: failures[0]!.message },
      { position: 'line 3', id: second!._id, reason: 'bad-input', message: 'tags.$regex2: is an unknown Extended JSON type ($ keys are not field names)' },
      { position: 'line 4', id: third!._id, reason: 'bad-input', message: 'name: missing' },
      { position: 'line 5', id: fourth!._id, reason: 'bad-input', message: 'layer: missing' },
    ]);
    expect(failures[0]!.message).to.match(/^\(line\): is not JSON/);
    expect(Object.keys(await snapshotCollection('assets'))).to.have.length(57);
  });

  it('refuses, before writing anything, a --jsonArray export that stops being JSON (exit 2); reports a bad element and imports the rest (exit 1)', async () => {
    const lines = stagingLines();
    const broken = await runImport(['apply', '--from', writeExport('broken-array.json', `[\n${lines.slice(0, 5).join(',\n')},\n{"_id": oops}\n]`), '--yes']);
    expect(broken.code, broken.stderr).to.equal(2);
    expect(broken.stderr).to.match(/is not a JSON array \(Parser cannot parse input/);
    expect(await snapshotCollection('assets')).to.deep.equal({});
    const [first, ...rest] = stagingAssets();
    const elements = [exportLine({ ...first!, layer: undefined }), ...rest.map(exportLine)];
    const result = await runImport(['apply', '--from', writeExport('array.json', `[${elements.join(',')}]`), '--yes']);
    expect(result.code, result.stderr).to.equal(1);
    expect(result.report?.['counts']).to.deep.include({ read: 60, created: 59, failed: 1 });
    expect((result.report?.['failures'] as Failure[])[0]).to.deep.include({
      position: 'element 1',
      id: first!._id,
      reason: 'bad-input',
      message: 'layer: missing',
    });
  });

  it('exits 2 before writing anything for a file it cannot read or that is no export, and for bad arguments', async () => {
    for (const args of [
      ['apply', '--from', 'test-output/no-such-export.json', '--yes'],
      ['apply', '--from', writeExport('notes.txt', 'hello\n'), '--yes'],
      ['apply', '--from', STAGING_EXPORT, '--since', 'yesterday', '--yes'],
      ['apply', '--from', STAGING_EXPORT, '--max-writes-per-second', 'fast', '--yes'],
      ['apply', '--yes'],
      ['apply', '--from', STAGING_EXPORT, '--token', 'x', '--yes'],
    ]) {
      const result = await runImport(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).to.equal(2);
    }
    expect(await snapshotCollection('imports')).to.deep.equal({});
    expect(await snapshotCollection('assets')).to.deep.equal({});
  });

  it('exits 3 while another run holds the lease, writing nothing', async () => {
    // The first run reads the old backend's API through a gate that holds its second page: it has
    // taken the lease and cannot finish, however fast or slow the machine, until the gate opens.
    const backend = await startFakeLegacyBackend({ documents: stagingAssets(), maxLimit: 10 });
    const gate = await startPageGate(backend.url, 2);
    try {
      const first = startImport(['apply', '--from', gate.url, '--token', backend.token, '--page-size', '10', '--yes']);
      await gate.held;
      const before = await snapshotCollection('assets');
      const second = await runImport(['apply', '--from', STAGING_EXPORT, '--yes']);
      expect(second.code, second.stderr).to.equal(3);
      expect(second.stderr).to.match(/The import into assets is being run by .*wait for it to finish/);
      expect(await snapshotCollection('assets'), 'the refused run wrote nothing').to.deep.equal(before);
      gate.open();
      const done = await first.done;
      expect(done.code, done.stderr).to.equal(0);
      expect(done.report?.['counts']).to.deep.include({ created: 60 });
    } finally {
      gate.open();
      await gate.stop();
      await backend.stop();
    }
  });
});

/**
 * A loopback pass-through to the fake old backend that holds the request for one page until opened;
 * `held` resolves once that page has been asked for.
 */
async function startPageGate(target: string, page: number) {
  let opened!: () => void;
  const opening = new Promise<void>((resolve) => (opened = resolve));
  let asked!: () => void;
  const held = new Promise<void>((resolve) => (asked = resolve));
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://gate');
      if (url.searchParams.get('page') === String(page)) {
        asked();
        await opening;
      }
      const answer = await fetch(`${target}${url.pathname.replace(/^\/api/, '')}${url.search}`, {
        headers: { authorization: request.headers.authorization ?? '' },
      });
      response.writeHead(answer.status, { 'Content-Type': 'application/json' });
      response.end(await answer.text());
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    held,
    open: () => opened(),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
