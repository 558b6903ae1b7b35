import { expect } from 'chai';
import { useApi } from '../support/api-server.js';
import { formOf, starPayload } from '../support/asset-fixtures.js';
import { pngImage } from '../support/sample-uploads.js';
import { snapshotCollection } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';

describe('Idempotency-Key on creates', function () {
  const api = useApi();

  const create = (key: string, payload: Record<string, unknown>, token = TOKENS.editor) =>
    call(api.url, 'POST', '/api/assets', { token, json: payload, headers: { 'Idempotency-Key': key } });

  it('50 concurrent creates with one key make one asset and 50 identical responses', async function () {
    this.timeout(120_000);
    const replies = await Promise.all(Array.from({ length: 50 }, () => create('fifty', starPayload())));
    const first = replies[0]!;
    expect(first.status, first.text).to.equal(201);
    for (const reply of replies) {
      expect(reply.status, reply.text).to.equal(201);
      expect(reply.text).to.equal(first.text);
      expect(reply.headers.get('etag')).to.equal(first.headers.get('etag'));
      expect(reply.headers.get('location')).to.equal(first.headers.get('location'));
    }
    expect(Object.keys(await snapshotCollection('assets'))).to.have.length(1);
    // A later retry still gets the first answer.
    expect((await create('fifty', starPayload())).text).to.equal(first.text);
  });

  it('a key reused with another body is 422 and creates nothing; keys are per caller', async () => {
    const first = await create('reused', starPayload());
    expect(first.status).to.equal(201);
    const other = await create('reused', starPayload({ description: 'something else' }));
    expect(other.status).to.equal(422);
    expect(other.body.error!.code).to.equal('IDEMPOTENCY_KEY_REUSED');
    const someoneElse = await create('reused', starPayload({ description: 'something else' }), TOKENS.admin);
    expect(someoneElse.status, 'another caller, another scope').to.equal(201);
    expect(Object.keys(await snapshotCollection('assets'))).to.have.length(2);
  });

  it('a multipart create with a file is replayed too, and a bad key is 400', async () => {
    const png = await pngImage();
    const send = () =>
      call(api.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        body: formOf(starPayload(), { name: 'still.png', type: 'image/png', bytes: png }),
        headers: { 'Idempotency-Key': 'with-file' },
      });
    const first = await send();
    expect(first.status, first.text).to.equal(201);
    expect((await send()).text).to.equal(first.text);
    expect(Object.keys(await snapshotCollection('assets'))).to.have.length(1);
    expect((await create('x'.repeat(256), starPayload())).status).to.equal(400);
  });

  it('a failed create releases the key: the retry does the work', async () => {
    const bad = await create('after-failure', { ...starPayload(), layer: 'NOPE' });
    expect(bad.status).to.equal(400);
    const good = await create('after-failure', { ...starPayload(), layer: 'NOPE' });
    expect(good.status, 'the same failing body fails again, it is not a mismatch').to.equal(400);
    expect((await create('after-failure', starPayload())).status).to.equal(201);
  });

  it('album-art requests honour the key too', async () => {
    const song = dataOf<{ id: string }>(
      await call(api.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        json: { layer: 'G', category: 'Pop', subcategory: 'Swift_Inspired', description: 'song' },
      }),
    );
    const request = (sourceUrl: string) =>
      call(api.url, 'POST', `/api/assets/${song.id}/album-art`, { token: TOKENS.editor, json: { sourceUrl }, headers: { 'Idempotency-Key': 'art' } });
    const first = await request('https://images.example.com/a.jpg');
    const again = await request('https://images.example.com/a.jpg');
    expect(again.status).to.equal(first.status);
    expect(again.text).to.equal(first.text);
    expect((await request('https://images.example.com/b.jpg')).status).to.equal(422);
  });
});
