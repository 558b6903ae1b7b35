import { expect } from 'chai';
import { useApi } from '../support/api-server.js';
import { starPayload } from '../support/asset-fixtures.js';
import { call, dataOf } from '../support/http-client.js';
import { legacyAssets, seedLegacyAssets } from '../support/legacy-fixture.js';
import { TOKENS } from '../support/test-environment.js';

describe('backwards compatibility', function () {
  const api = useApi();
  beforeEach(seedLegacyAssets);

  for (const legacy of legacyAssets) {
    it(`reads legacy document ${legacy.id} back as exactly the JSON old clients got`, async () => {
      const reply = await call(api.url, 'GET', `/api/assets/${legacy.id}`);
      expect(reply.status).to.equal(200);
      expect(reply.text).to.equal(`{"success":true,"data":${legacy.expectedJson}}`);
    });
  }

  it('lists legacy documents with the same bytes', async () => {
    const reply = await call(api.url, 'GET', '/api/assets?sortBy=name&sortOrder=asc&limit=10');
    const items = dataOf<{ items: unknown[] }>(reply).items.map((item) => JSON.stringify(item));
    expect(items).to.have.members(legacyAssets.map((legacy) => legacy.expectedJson));
  });

  it('finds a legacy composite by its HFN, its MFA and its base', async () => {
    for (const address of ['C.RMX.POP.005:S.FAN.BAS.001+L.VIN.BAS.001', '9.001.001.005:2.016.001.001+3.007.001.001', 'C.RMX.POP.005', 'c.rmx.pop.005']) {
      const reply = await call(api.url, 'GET', `/api/assets/nna/${encodeURIComponent(address)}`);
      expect(reply.status, address).to.equal(200);
      expect(dataOf(reply)['id']).to.equal('legacyComposite1');
    }
  });

  it('continues a legacy subcategory after its highest number instead of reusing 001', async () => {
    const created = dataOf(
      await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ layer: 'G', category: 'Pop', subcategory: 'TSW' }) }),
    );
    expect(created['name']).to.equal('G.POP.TSW.004');
    const composite = dataOf(
      await call(api.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        json: starPayload({ layer: 'C', category: 'RMX', subcategory: 'POP', components: ['S.VAV.BAS.001'] }),
      }),
    );
    expect(composite['name']).to.equal('C.RMX.POP.006:S.014.001.001');
    expect(composite['hfn']).to.equal('C.RMX.POP.006:S.VAV.BAS.001');
  });

  it('keeps a legacy document unchanged but for what an update names', async () => {
    const legacy = legacyAssets[0]!;
    const reply = await call(api.url, 'PUT', `/api/assets/${legacy.id}`, { token: TOKENS.editor, json: { description: 'new words' } });
    expect(reply.status, reply.text).to.equal(200);
    const expected = JSON.parse(legacy.expectedJson) as Record<string, unknown>;
    const actual = dataOf(reply);
    expect(actual['updatedAt']).not.to.equal(expected['updatedAt']);
    expect({ ...actual, updatedAt: 'x' }).to.deep.equal({ ...expected, description: 'new words', updatedAt: 'x' });
  });

  it('answers with a new field only when it is set', async () => {
    const created = dataOf(await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() }));
    expect(created).not.to.have.any.keys('creatorDescription', 'albumArt', 'aiMetadata', 'extractedSongData', 'gcpStorageUrl');
    // The old backend served `components` on every asset: `[]` when it has none (docs/api.md, "One shape").
    expect(created['components']).to.deep.equal([]);
  });
});
