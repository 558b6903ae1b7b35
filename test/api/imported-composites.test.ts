/**
 * The composite protections over imported assets: an imported composite names its components by
 * the old backend's letter-form addresses (`G.003.003.001`), and still a component it names cannot
 * be deleted while it is live (409), a forced deletion marks it in the composite's
 * `deletedComponents`, and restoring the component unmarks it.
 */
import { expect } from 'chai';
import { useApi } from '../support/api-server.js';
import { starPayload } from '../support/asset-fixtures.js';
import { testFirestore } from '../support/firestore-direct.js';
import { importedId, stagingSample, useImportedAssets } from '../support/imported-assets.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';

type Asset = Record<string, unknown> & { id: string; name: string };

/** The imported samples that name G.HIP.MOD.001 (as G.003.003.001). */
const NAMING_HIP_MOD = ['C.FUL.POP.125', 'C.FUL.POP.041', 'C.FUL.POP.091', 'C.FUL.POP.202'];

describe('imported composites protect their components', function () {
  const api = useApi();
  const imported = useImportedAssets();
  const idOf = importedId;
  const stored = async (id: string) => (await testFirestore().collection('assets').doc(id).get()).data()!;
  const importedDocument = (hfn: string) => imported.assets.find((asset) => asset.id === idOf(hfn))!.document;

  it('refuses to delete a component that live imported composites name by its letter-form address (409 naming each)', async () => {
    const song = idOf('G.HIP.MOD.001');
    expect(stagingSample('C.FUL.POP.125')['components']).to.include('G.003.003.001');
    const refused = await call(api.url, 'DELETE', `/api/assets/${song}`, { token: TOKENS.editor });
    expect(refused.status, refused.text).to.equal(409);
    expect(refused.body.error!.code).to.equal('CONFLICT');
    expect(refused.body.error!.message).to.match(/^G\.HIP\.MOD\.001 is a component of 4 composite\(s\)/);
    const named = refused.body.error!.details.map((detail) => detail.issue);
    for (const hfn of NAMING_HIP_MOD)
      expect(
        named.some((issue) => issue.startsWith(`${stagingSample(hfn).name} (id ${idOf(hfn)})`)),
        hfn,
      ).to.equal(true);
    expect((await call(api.url, 'GET', `/api/assets/${song}`)).status).to.equal(200);
    // By its letter-form MFA in the path, the same.
    expect((await call(api.url, 'DELETE', '/api/assets/G.003.003.001', { token: TOKENS.editor })).status).to.equal(409);
  });

  it('a forced deletion marks the imported composites, and restoring the component unmarks them as they were', async () => {
    const song = idOf('G.HIP.MOD.001');
    const forced = await call(api.url, 'DELETE', `/api/assets/${song}?force=true`, { token: TOKENS.admin });
    expect(forced.status, forced.text).to.equal(200);
    for (const hfn of NAMING_HIP_MOD) {
      expect((await stored(idOf(hfn)))['deletedComponents'], hfn).to.deep.equal(['G.HIP.MOD.001']);
      expect(dataOf<Asset>(await call(api.url, 'GET', `/api/assets/${idOf(hfn)}`))['deletedComponents']).to.deep.equal(['G.HIP.MOD.001']);
    }
    // A composite that does not name it is left alone.
    expect(await stored(idOf('C.FUL.POP.524'))).to.deep.equal(importedDocument('C.FUL.POP.524'));

    const restored = await call(api.url, 'POST', `/api/assets/${song}/restore`, { token: TOKENS.admin });
    expect(restored.status, restored.text).to.equal(200);
    for (const hfn of NAMING_HIP_MOD) expect(await stored(idOf(hfn)), hfn).to.deep.equal(importedDocument(hfn));
  });

  it('a composite made through the API from letter-form addresses protects the imported components it names', async () => {
    const created = await call(api.url, 'POST', '/api/assets', {
      token: TOKENS.editor,
      json: starPayload({ layer: 'C', category: 'FUL', subcategory: 'POP', components: ['G.001.008.001', 'L.005.005.004'] }),
    });
    expect(created.status, created.text).to.equal(201);
    const composite = dataOf<Asset>(created);
    const refused = await call(api.url, 'DELETE', '/api/assets/G.001.008.001', { token: TOKENS.editor });
    expect(refused.status, refused.text).to.equal(409);
    expect(refused.body.error!.details).to.deep.equal([{ path: 'composites', issue: `${composite.name} (id ${composite.id}) names G.POP.LAT.001` }]);
    // Deleting the composite first frees the component.
    expect((await call(api.url, 'DELETE', `/api/assets/${composite.id}`, { token: TOKENS.editor })).status).to.equal(200);
    expect((await call(api.url, 'DELETE', '/api/assets/G.001.008.001', { token: TOKENS.editor })).status).to.equal(200);
  });
});
