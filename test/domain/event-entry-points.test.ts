/**
 * The event functions' HTTP edge: anything that is not their event is answered 405 without loading
 * pipeline code, without a stack trace and without an ERROR log; a failed first load is retried.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { lazyLoad } from '../../functions/platform/lazy-load.js';
import { startTestFunction, type ApiServer } from '../support/api-server.js';

describe('event entry points', function () {
  this.timeout(60_000);
  let processAlbumArt: ApiServer;
  let generateVariants: ApiServer;

  before(async function () {
    this.timeout(60_000);
    [processAlbumArt, generateVariants] = await Promise.all([
      startTestFunction('processAlbumArt', 'cloudevent', { LOG_LEVEL: 'INFO' }),
      startTestFunction('generateVariants', 'cloudevent', { LOG_LEVEL: 'INFO' }),
    ]);
  });
  after(async () => {
    await Promise.all([processAlbumArt?.stop(), generateVariants?.stop()]);
  });

  const notEvents: Array<[string, RequestInit]> = [
    ['GET', { method: 'GET' }],
    ['PUT', { method: 'PUT', body: '{}', headers: { 'Content-Type': 'application/json' } }],
    ['a POST of plain JSON', { method: 'POST', body: '{"hello":"world"}', headers: { 'Content-Type': 'application/json' } }],
    ['a POST of text', { method: 'POST', body: 'hello', headers: { 'Content-Type': 'text/plain' } }],
    [
      'a CloudEvent of another type',
      {
        method: 'POST',
        body: '{}',
        headers: { 'Content-Type': 'application/json', 'ce-id': '1', 'ce-specversion': '1.0', 'ce-source': '//x', 'ce-type': 'com.example.other' },
      },
    ],
  ];
  for (const [label, init] of notEvents) {
    it(`answers 405 to ${label}, with no stack trace`, async () => {
      for (const server of [processAlbumArt, generateVariants]) {
        const response = await fetch(server.url, init);
        const text = await response.text();
        expect(response.status, `${server.url} ${text}`).to.equal(405);
        expect(response.headers.get('allow')).to.equal('POST');
        expect(JSON.parse(text)).to.deep.include({ success: false });
        expect(text).not.to.match(/\bat .*\.js:\d+/);
      }
    });
  }

  it('logs those refusals as warnings, never ERROR, with no stack trace', () => {
    for (const server of [processAlbumArt, generateVariants]) {
      const log = readFileSync(server.logPath, 'utf8');
      expect(log).to.include('not this function');
      expect(log).to.include('"severity":"WARNING"');
      expect(log).not.to.include('"severity":"ERROR"');
      expect(log).not.to.match(/\n\s+at /);
    }
  });

  it('loads again after a failed first load (the failure is not cached)', async () => {
    let calls = 0;
    const load = lazyLoad(async () => {
      calls++;
      if (calls === 1) throw new Error('first import failed');
      return 'handler';
    });
    let failure: unknown;
    try {
      await load();
    } catch (error) {
      failure = error;
    }
    expect((failure as Error).message).to.equal('first import failed');
    expect(await load()).to.equal('handler');
    expect(await load()).to.equal('handler');
    expect(calls).to.equal(2);
  });
});
