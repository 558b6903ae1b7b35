/**
 * Imported assets found by every spelling of their address the registry holds: the old backend's
 * letter-form MFAs (`G.003.003.001`, `C.003.001.125`) and colon composite names
 * (`C.FUL.POP.125:G.003.003.001:…`), the canonical HFN and MFA, and the stored text where the
 * taxonomy cannot read it (`G.undefined.undefined.001`); in every place that takes a reference.
 */
import { expect } from 'chai';
import { useApi } from '../support/api-server.js';
import { starPayload } from '../support/asset-fixtures.js';
import { testFirestore } from '../support/firestore-direct.js';
import { importedId, stagingSample, useImportedAssets } from '../support/imported-assets.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';

type Asset = Record<string, unknown> & { id: string; name: string; nna_address: string };

describe('imported assets: lookups by the old backend spellings', function () {
  const api = useApi();
  const imported = useImportedAssets();
  const idOf = importedId;
  const stored = async (id: string) => (await testFirestore().collection('assets').doc(id).get()).data()!;

  it('GET /api/assets/nna/:ref finds a single asset by its letter-form MFA, numeric MFA and HFN', async () => {
    const star = stagingSample('S.POP.DIV.003');
    expect(star.nna_address).to.equal('S.001.002.003');
    for (const reference of ['S.001.002.003', '2.001.002.003', 'S.POP.DIV.003', 's.pop.div.003']) {
      const reply = await call(api.url, 'GET', `/api/assets/nna/${encodeURIComponent(reference)}`);
      expect(reply.status, `${reference}: ${reply.text}`).to.equal(200);
      const asset = dataOf<Asset>(reply);
      expect(asset.id, reference).to.equal(idOf('S.POP.DIV.003'));
      // Served as imported: the old spelling of the address is kept.
      expect(asset).to.include({ name: 'S.POP.DIV.003', nna_address: 'S.001.002.003' });
    }
  });

  it('GET /api/assets/nna/:ref finds a composite by its colon name, letter-form MFA, base HFN and MFA, and the contract spelling', async () => {
    const composite = stagingSample('C.FUL.POP.125');
    expect(composite.name).to.equal('C.FUL.POP.125:G.003.003.001:S.001.002.004:L.006.005.001:M.017.001.017:W.007.004.001');
    const references = [
      composite.name,
      'C.003.001.125',
      'C.FUL.POP.125',
      '9.003.001.125',
      'C.FUL.POP.125:G.HIP.MOD.001+S.POP.DIV.004+L.URB.SKT.001+M.SMT.BAS.017+W.FUT.HOL.001',
    ];
    for (const reference of references) {
      for (const spelled of [encodeURIComponent(reference), reference]) {
        const reply = await call(api.url, 'GET', `/api/assets/nna/${spelled}`);
        expect(reply.status, `${spelled}: ${reply.text}`).to.equal(200);
        expect(dataOf<Asset>(reply).id, spelled).to.equal(idOf('C.FUL.POP.125'));
      }
    }
    expect(dataOf<Asset>(await call(api.url, 'GET', '/api/assets/nna/C.003.001.125'))).to.include({ name: composite.name, nna_address: 'C.003.001.125' });
  });

  it('finds the broken record by its stored address too, and still refuses text that names nothing', async () => {
    const broken = stagingSample('G.POP.TSW.001');
    expect(broken.nna_address).to.equal('G.undefined.undefined.001');
    for (const reference of ['G.undefined.undefined.001', 'G.POP.TSW.001', '1.001.012.001']) {
      const reply = await call(api.url, 'GET', `/api/assets/nna/${reference}`);
      expect(reply.status, `${reference}: ${reply.text}`).to.equal(200);
      expect(dataOf<Asset>(reply).id).to.equal(idOf('G.POP.TSW.001'));
    }
    const nothing = await call(api.url, 'GET', '/api/assets/nna/G.undefined.undefined.002');
    expect(nothing.status).to.equal(400);
    expect(nothing.body.error!.code).to.equal('VALIDATION_FAILED');
    expect((await call(api.url, 'GET', '/api/assets/nna/S.001.002.002')).status).to.equal(404);
    // Text too long to be a stored address (an indexed value is at most 1,500 bytes) is not looked up: a 400, not a 500.
    for (const long of ['x'.repeat(1600), `G.POP.ZZZ.${'1'.repeat(1600)}`]) {
      expect((await call(api.url, 'GET', `/api/assets/nna/${long}`)).status, long.slice(0, 12)).to.equal(400);
      expect((await call(api.url, 'GET', `/api/assets?search=${long}`)).status, long.slice(0, 12)).to.be.lessThan(500);
    }
  });

  it('GET, PUT, PATCH and DELETE /api/assets/:ref take every spelling (the edit page saves with PUT /api/assets/<name>)', async () => {
    const starId = idOf('S.POP.DIV.003');
    expect(dataOf<Asset>(await call(api.url, 'GET', '/api/assets/S.001.002.003')).id).to.equal(starId);
    const put = await call(api.url, 'PUT', '/api/assets/S.001.002.003', { token: TOKENS.editor, json: { description: 'Edited by letter-form MFA' } });
    expect(put.status, put.text).to.equal(200);
    expect(dataOf<Asset>(put).id).to.equal(starId);
    expect(await stored(starId)).to.include({ description: 'Edited by letter-form MFA', name: 'S.POP.DIV.003', nna_address: 'S.001.002.003' });

    const composite = stagingSample('C.FUL.POP.524');
    const compositeId = idOf('C.FUL.POP.524');
    const patch = await call(api.url, 'PATCH', `/api/assets/${composite.name}`, { token: TOKENS.editor, json: { tags: ['edited', 'colon'] } });
    expect(patch.status, patch.text).to.equal(200);
    expect(dataOf<Asset>(patch).id).to.equal(compositeId);
    const saved = await stored(compositeId);
    expect(saved['tags']).to.deep.equal(['edited', 'colon']);
    expect(saved['components']).to.deep.equal(composite['components']);

    const broken = await call(api.url, 'PUT', '/api/assets/G.undefined.undefined.001', { token: TOKENS.editor, json: { description: 'Still findable' } });
    expect(broken.status, broken.text).to.equal(200);
    expect(dataOf<Asset>(broken).id).to.equal(idOf('G.POP.TSW.001'));

    const worldId = idOf('W.IND.BAS.001');
    const deleted = await call(api.url, 'DELETE', '/api/assets/W.009.001.001', { token: TOKENS.editor });
    expect(deleted.status, deleted.text).to.equal(200);
    expect((await call(api.url, 'GET', `/api/assets/${worldId}`)).status).to.equal(404);
    expect((await testFirestore().collection('assets_deleted').doc(worldId).get()).exists).to.equal(true);
  });

  it('a search by address finds the imported asset first, in each spelling', async () => {
    const searches: Array<[string, string]> = [
      ['S.001.002.003', 'S.POP.DIV.003'],
      ['2.001.002.003', 'S.POP.DIV.003'],
      ['C.003.001.125', 'C.FUL.POP.125'],
      [stagingSample('C.FUL.POP.125').name, 'C.FUL.POP.125'],
      ['G.undefined.undefined.001', 'G.POP.TSW.001'],
    ];
    for (const [text, hfn] of searches) {
      const reply = await call(api.url, 'GET', `/api/assets?search=${encodeURIComponent(text)}&limit=5`);
      expect(reply.status, `${text}: ${reply.text}`).to.equal(200);
      expect(dataOf<{ items: Asset[] }>(reply).items[0]?.id, text).to.equal(idOf(hfn));
    }
  });

  it('components named by letter-form MFAs on create resolve to the imported components; a deleted one is named as such', async () => {
    const created = await call(api.url, 'POST', '/api/assets', {
      token: TOKENS.editor,
      json: starPayload({ layer: 'C', category: 'Full_Composites', subcategory: 'Pop', components: ['G.003.003.001', 'S.001.002.003', 'W.URB.STR.001'] }),
    });
    expect(created.status, created.text).to.equal(201);
    const composite = dataOf<Asset>(created);
    // The composite continues after the highest imported number of its path (699 among the samples).
    // Named as the registry names its composites, the contract's spelling beside it (docs/api.md, "One shape").
    expect(composite.name).to.equal('C.FUL.POP.700:G.003.003.001:S.001.002.003:W.003.003.001');
    expect(composite['hfn']).to.equal('C.FUL.POP.700:G.HIP.MOD.001+S.POP.DIV.003+W.URB.STR.001');
    expect(composite['components']).to.deep.equal(['G.003.003.001', 'S.001.002.003', 'W.003.003.001']);

    expect((await call(api.url, 'DELETE', `/api/assets/${idOf('S.POP.IDP.007')}`, { token: TOKENS.editor })).status).to.equal(200);
    const refused = await call(api.url, 'POST', '/api/assets', {
      token: TOKENS.editor,
      json: starPayload({ layer: 'C', category: 'FUL', subcategory: 'POP', components: ['S.001.016.007', 'S.001.002.099'] }),
    });
    expect(refused.status, refused.text).to.equal(400);
    expect(refused.body.error!.details).to.deep.equal([
      { path: 'components.0', issue: 'Component S.001.016.007 is deleted; restore it first' },
      { path: 'components.1', issue: 'Component S.001.002.099 does not exist' },
    ]);
    expect(imported.assets).to.have.length(60);
  });
});
