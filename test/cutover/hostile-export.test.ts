import { expect } from 'chai';
import { appendFileSync } from 'node:fs';
import { useApi } from '../support/api-server.js';
import { snapshotCollection, testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { runImport } from '../support/migrate-cli.js';
import { exportLine, stagingAssets, writeExport, writeLines } from '../support/staging-export.js';

interface Failure {
  position: string;
  id?: string;
  reason: string;
  message: string;
}

interface AnomalySummary {
  kind: string;
  count: number;
  examples: Array<{ position?: string; id: string; name: string; detail: string }>;
}

function anomaly(report: Record<string, unknown> | undefined, kind: string): AnomalySummary | undefined {
  return (report?.['anomalies'] as AnomalySummary[]).find((entry) => entry.kind === kind);
}

function failuresOf(report: Record<string, unknown> | undefined): Failure[] {
  return (report?.['failures'] as Failure[]).map(({ position, id, reason, message }) => ({ position, id, reason, message }));
}

describe('import: hostile exports (twin names, hostile field names, huge lines, hostile ids, URLs, dates and bytes)', function () {
  this.timeout(180_000);
  const api = useApi();

  it('compares names in their canonical form: S.POP.BAS.0001 beside a stored S.POP.BAS.001 is a conflict, reported by line, exit 1', async () => {
    const [first, second, third, fourth] = stagingAssets();
    expect((await runImport(['apply', '--from', writeLines('first.json', [exportLine(first!)]), '--yes'])).code).to.equal(0);
    // G.HIP.MOD.001 is stored; the export names it G.HIP.MOD.0001 under another id, and holds G.POP.LAT.600 beside G.POP.LAT.0600.
    const twin = { ...second!, name: 'G.HIP.MOD.0001', nna_address: first!.nna_address };
    const six = { ...third!, name: 'G.POP.LAT.600' };
    const zeroSix = { ...fourth!, name: 'G.POP.LAT.0600' };
    const result = await runImport(['apply', '--from', writeLines('twins.json', [exportLine(twin), exportLine(six), exportLine(zeroSix)]), '--yes']);
    expect(result.code, result.stderr).to.equal(1);
    expect(result.report?.['counts']).to.deep.include({ read: 3, created: 1, failed: 2 });
    expect(failuresOf(result.report)).to.deep.equal([
      { position: 'line 1', id: twin._id, reason: 'name-conflict', message: `G.HIP.MOD.001 is already held by asset ${first!._id} in this backend` },
      { position: 'line 3', id: zeroSix._id, reason: 'name-conflict', message: `G.POP.LAT.600 is already held by asset ${six._id} in this backend` },
    ]);
    expect((await testFirestore().collection('assets').doc(twin._id).get()).exists).to.equal(false);
    const plan = await runImport(['plan', '--from', writeLines('alone.json', [exportLine({ ...second!, name: 'G.HIP.MOD.0002' })])]);
    expect(anomaly(plan.report, 'non-canonical-sequence')?.examples).to.deep.equal([
      { position: 'line 1', id: second!._id, name: 'G.HIP.MOD.0002', detail: 'G.HIP.MOD.0002 is G.HIP.MOD.002 in its canonical form' },
    ]);
  });

  it('reports a line whose field is named __proto__ with its number and imports the rest, exit 1', async () => {
    const [first, second, third] = stagingAssets();
    const hostile = { ...second!, metadata: JSON.parse('{"__proto__":{"constructor":{"name":"Evil"}}}') as unknown };
    const sibling = { ...third!, metadata: { constructor: { name: 'Fine' }, prototype: 1 } };
    const lines = [exportLine(first!), exportLine(hostile), exportLine(sibling)];
    expect(lines[1]).to.contain('"__proto__"');
    const result = await runImport(['apply', '--from', writeLines('proto.json', lines), '--yes']);
    expect(result.code, result.stderr).to.equal(1);
    expect(result.report).to.deep.include({ status: 'completed' });
    expect(result.report?.['counts']).to.deep.include({ read: 3, created: 2, failed: 1 });
    expect(failuresOf(result.report)).to.deep.equal([
      { position: 'line 2', id: second!._id, reason: 'bad-input', message: 'metadata.__proto__: is a field name that cannot be stored' },
    ]);
    expect((await testFirestore().collection('assets').doc(third!._id).get()).get('metadata')).to.deep.equal({ constructor: { name: 'Fine' }, prototype: 1 });
  });

  it('refuses a 50 MB line by its length before holding it, and imports the rest, exit 1; refuses a --jsonArray holding such an element whole, exit 2', async () => {
    const [first, second, third] = stagingAssets();
    const file = writeLines('huge.json', [exportLine(first!)]);
    // The document's own text, its description 50 MB long, written in pieces.
    const head = exportLine({ ...second!, description: 'PLACEHOLDER' }).split('PLACEHOLDER');
    appendFileSync(file, head[0]!);
    const piece = 'x'.repeat(1024 * 1024);
    for (let index = 0; index < 50; index++) appendFileSync(file, piece);
    appendFileSync(file, `${head[1]!}\n${exportLine(third!)}\n`);
    const result = await runImport(['apply', '--from', file, '--yes']);
    expect(result.signal, result.stderr).to.equal(null);
    expect(result.code, result.stderr).to.equal(1);
    expect(result.report?.['counts']).to.deep.include({ read: 3, created: 2, failed: 1 });
    const [failure] = failuresOf(result.report);
    expect(failure).to.deep.include({ position: 'line 2', reason: 'bad-input' });
    expect(failure!.message).to.match(/^\(line\): is \d+ bytes long, more than the 4194304 a line may hold: not read$/);
    expect(JSON.parse((await runImport(['status'])).stdout)).to.deep.include({ status: 'completed' });

    // The same document as an element of a --jsonArray export: the array is refused whole, before anything is written.
    const before = await snapshotCollection('assets');
    const array = writeExport('huge-array.json', `[${exportLine(first!)},${head[0]!}`);
    for (let index = 0; index < 50; index++) appendFileSync(array, piece);
    appendFileSync(array, `${head[1]!},${exportLine(third!)}]`);
    const refused = await runImport(['apply', '--from', array, '--yes']);
    expect(refused.signal, refused.stderr).to.equal(null);
    expect(refused.code, refused.stderr).to.equal(2);
    expect(refused.stderr).to.match(/element 2 is longer than 4194304 bytes; it is not read/);
    expect(await snapshotCollection('assets')).to.deep.equal(before);
  });

  it('reports ids that are routes, album art that is not https, dates in the future, a duplicate _id and bytes that are not UTF-8; serves none of them unsafely', async () => {
    const [first, second, third, fourth, fifth] = stagingAssets();
    // An _id the old backend held as a string (not an ObjectId) that is also a route of the API.
    const routeLine = exportLine(first!).replace(`{"$oid":"${first!._id}"}`, '"search"');
    const script = { ...second!, albumArt: 'javascript:alert(1)' };
    const future = { ...third!, createdAt: '9999-01-01T00:00:00.000Z' };
    const again = { ...fourth!, description: 'the same _id again' };
    const text = [routeLine, exportLine(script), exportLine(future), exportLine(fourth!), exportLine(again)].join('\n');
    const badBytes = Buffer.from(exportLine({ ...fifth!, description: 'MARK' }).replace('MARK', '\u0000'));
    const zero = badBytes.indexOf(0);
    // Line 6 holds 0xC3 0x28, which UTF-8 never has.
    const file = writeExport(
      'hostile.json',
      Buffer.concat([Buffer.from(`${text}\n`), badBytes.subarray(0, zero), Buffer.from([0xc3, 0x28]), badBytes.subarray(zero + 1), Buffer.from('\n')]),
    );

    const result = await runImport(['apply', '--from', file, '--yes']);
    expect(result.code, result.stderr).to.equal(1);
    expect(result.report?.['counts'], JSON.stringify(result.report?.['failures'])).to.deep.include({ read: 6, created: 4, updated: 1, failed: 1 });
    expect(failuresOf(result.report)).to.deep.equal([
      { position: 'line 6', id: undefined, reason: 'bad-input', message: '(line): holds bytes that are not UTF-8: not read (export it again as UTF-8)' },
    ]);
    expect(anomaly(result.report, 'route-like-id')?.examples).to.deep.equal([
      { position: 'line 1', id: 'search', name: first!.name, detail: '/api/assets/search is a route of the API' },
    ]);
    expect(anomaly(result.report, 'unsafe-url')?.examples).to.deep.equal([
      { position: 'line 2', id: second!._id, name: second!.name, detail: 'albumArt "javascript:alert(1)" is not an https URL' },
    ]);
    expect(anomaly(result.report, 'future-date')?.examples).to.deep.equal([
      { position: 'line 3', id: third!._id, name: third!.name, detail: 'createdAt 9999-01-01T00:00:00.000Z is later than the import' },
    ]);
    expect(anomaly(result.report, 'duplicate-id')?.examples).to.deep.equal([
      { position: 'line 5', id: fourth!._id, name: fourth!.name, detail: `line 5 holds _id ${fourth!._id} again` },
    ]);

    // A dry run writes nothing to find the first one by: it remembers the ids it read.
    const plan = await runImport(['plan', '--from', file]);
    expect(anomaly(plan.report, 'duplicate-id')?.examples).to.deep.equal(anomaly(result.report, 'duplicate-id')?.examples);

    const served = dataOf(await call(api.url, 'GET', `/api/assets/${second!._id}`));
    expect(served['albumArt']).to.equal(null);
    const byName = dataOf(await call(api.url, 'GET', `/api/assets/nna/${first!.name}`));
    expect(byName['id'] ?? byName['_id']).to.equal('search');
    expect(Object.keys(await snapshotCollection('assets'))).to.have.members(['search', second!._id, third!._id, fourth!._id]);
  });
});
