/**
 * Sequence numbers after an import and at the end of a path: the next create continues after the
 * highest imported number (from the importer's counters, or from the names when a path has none,
 * colon composite names included), gaps are not refilled, and a path's numbers stop at 999: the
 * 1000th create, or a move into a full path, is a 409 naming the path, with nothing written.
 */
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { useApi } from '../support/api-server.js';
import { formOf, starPayload } from '../support/asset-fixtures.js';
import { snapshotCollection, testFirestore } from '../support/firestore-direct.js';
import { seedImportedAssets, sourceIdOf, stagingSample, stagingSamples } from '../support/imported-assets.js';
import { call, dataOf } from '../support/http-client.js';
import { pngImage } from '../support/sample-uploads.js';
import { TOKENS } from '../support/test-environment.js';

type Asset = Record<string, unknown> & { id: string; name: string; nna_address: string };

/** The files (not directories) under a blob directory. */
const filesIn = (directory: string) => readdirSync(directory, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
const counter = (key: string) => testFirestore().collection('assets_sequences').doc(key);

describe('sequence numbers after an import, and the 999 limit', function () {
  const api = useApi();

  async function create(fields: Record<string, unknown>): Promise<Asset> {
    const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload(fields) });
    expect(reply.status, reply.text).to.equal(201);
    return dataOf<Asset>(reply);
  }
  const composite = (components: string[]) => ({ layer: 'C', category: 'FUL', subcategory: 'POP', components });

  describe('after an import', () => {
    it('continues after the highest imported number in each path, gaps left as they are, composites included', async () => {
      await seedImportedAssets();
      // S.POP.TEN holds 005, 016 and 017 among the samples; 001-004 and 006-015 stay unused.
      expect((await create({ category: 'POP', subcategory: 'TEN' })).name).to.equal('S.POP.TEN.018');
      expect((await create({ category: 'POP', subcategory: 'TEN' })).name).to.equal('S.POP.TEN.019');
      expect((await create(composite(['S.001.009.017']))).name).to.equal('C.FUL.POP.700:S.001.009.017');
      // Staging's C.FUL.POP holds 706: the importer's counter says so, and the next is 707.
      await counter('C.FUL.POP').set({ last: 706 });
      expect((await create(composite(['G.003.003.001']))).name).to.equal('C.FUL.POP.707:G.003.003.001');
      // The broken record's path still continues after it.
      expect((await create({ layer: 'G', category: 'POP', subcategory: 'TSW' })).name).to.equal('G.POP.TSW.002');
    });

    it('without counters, continues after the highest name of the path: colon composite names are read too', async () => {
      await seedImportedAssets(stagingSamples, { counters: false });
      expect((await testFirestore().collection('assets_sequences').get()).size).to.equal(0);
      expect((await create(composite(['S.001.009.017']))).name).to.equal('C.FUL.POP.700:S.001.009.017');
      expect((await create({ category: 'POP', subcategory: 'TEN' })).name).to.equal('S.POP.TEN.018');
      expect((await create({ layer: 'G', category: 'POP', subcategory: 'TSW' })).name).to.equal('G.POP.TSW.002');
      const names = Object.values(await snapshotCollection('assets')).map((document) => (document as { name: string }).name.split(':')[0]);
      expect(new Set(names).size, 'no new name equals an imported one').to.equal(names.length);
    });
  });

  describe('the 999 numbers of a path', () => {
    it('gives out 999, then refuses the 1000th create with a 409 naming the full path and writes nothing, file included', async () => {
      await counter('S.POP.BAS').set({ last: 998 });
      const last = await create({});
      expect(last.name).to.equal('S.POP.BAS.999');
      const before = { assets: await snapshotCollection('assets'), counters: await snapshotCollection('assets_sequences') };
      const historyBefore = (await testFirestore().collectionGroup('history').get()).size;
      const filesBefore = filesIn(api.blobDirectory);

      const refused = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() });
      expect(refused.status, refused.text).to.equal(409);
      expect(refused.body.success).to.equal(false);
      expect(refused.body.error).to.deep.include({ code: 'SEQUENCE_EXHAUSTED', message: 'S.POP.BAS is full: its 999 numbers are used' });
      expect(refused.body.error!.details[0]).to.deep.equal({
        path: 'subcategory',
        issue: 'S.POP.BAS has no number left (001-999); choose another subcategory',
      });

      const form = formOf(starPayload(), { name: 'star.png', type: 'image/png', bytes: new Uint8Array(await pngImage()) });
      const withFile = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, body: form });
      expect(withFile.status, withFile.text).to.equal(409);
      expect(withFile.body.error!.code).to.equal('SEQUENCE_EXHAUSTED');

      expect(await snapshotCollection('assets')).to.deep.equal(before.assets);
      expect(await snapshotCollection('assets_sequences')).to.deep.equal(before.counters);
      expect((await testFirestore().collectionGroup('history').get()).size).to.equal(historyBefore);
      expect(filesIn(api.blobDirectory), 'the staged upload is removed').to.equal(filesBefore);
      // Other paths are not affected.
      expect((await create({ subcategory: 'DIV' })).name).to.equal('S.POP.DIV.001');
    });

    it('refuses a move into a full path (PUT with a new subcategory) the same way, leaving the asset as it was', async () => {
      const star = await create({});
      await counter('S.POP.DIV').set({ last: 999 });
      const before = (await testFirestore().collection('assets').doc(star.id).get()).data();
      const moved = await call(api.url, 'PUT', `/api/assets/${star.name}`, { token: TOKENS.editor, json: { subcategory: 'Pop_Diva_Female_Stars' } });
      expect(moved.status, moved.text).to.equal(409);
      expect(moved.body.error).to.deep.include({ code: 'SEQUENCE_EXHAUSTED', message: 'S.POP.DIV is full: its 999 numbers are used' });
      expect((await testFirestore().collection('assets').doc(star.id).get()).data()).to.deep.equal(before);
      expect((await counter('S.POP.DIV').get()).data()).to.deep.equal({ last: 999 });
      // A move into a path with room still works.
      const ok = await call(api.url, 'PUT', `/api/assets/${star.name}`, { token: TOKENS.editor, json: { subcategory: 'TEN' } });
      expect(ok.status, ok.text).to.equal(200);
      expect(dataOf<Asset>(ok).name).to.equal('S.POP.TEN.001');
    });

    it('is full too where a path has no counter and its names reach 999 (an imported path)', async () => {
      const highest = { ...stagingSample('S.POP.DIV.003'), _id: '686885a25f3e9d1c2b1a2bff', name: 'S.POP.DIV.999', nna_address: 'S.001.002.999' };
      await seedImportedAssets([highest], { counters: false });
      const refused = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ subcategory: 'DIV' }) });
      expect(refused.status, refused.text).to.equal(409);
      expect(refused.body.error!.message).to.equal('S.POP.DIV is full: its 999 numbers are used');
      expect(Object.keys(await snapshotCollection('assets'))).to.deep.equal([sourceIdOf(highest)]);
    });
  });
});
