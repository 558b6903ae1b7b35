/**
 * One shape (docs/api.md, "One shape: the old backend's forms"): an asset created or updated here
 * answers every field the old backend served in that backend's form, row by row of the table, as an
 * imported one does, so that the frontend (`Created by: {asset.registeredBy}`, its creator sort) and
 * the ReViz app (`JSON.parse(asset.trainingData)`, the letter-form `nna_address`) cannot tell them
 * apart. The canonical forms are beside them under their own names.
 */
import { expect } from 'chai';
import { useApi } from '../support/api-server.js';
import { formOf } from '../support/asset-fixtures.js';
import { stagingSample, useImportedAssets } from '../support/imported-assets.js';
import { call, dataOf } from '../support/http-client.js';
import { pngImage } from '../support/sample-uploads.js';
import { TOKENS } from '../support/test-environment.js';

type Asset = Record<string, unknown> & { id: string; name: string; nna_address: string };

const EDITOR_EMAIL = 'editor@example.com';
const LETTER_MFA = /^[A-Z]\.\d{3}\.\d{3}\.\d{3}$/;

/** The rows of the table every asset answers, whatever wrote it. */
function expectOneShape(
  asset: Asset,
  expected: { registeredBy: string; hfn: string; mfa: string; nna_address: string; name: string; components: unknown[] },
): void {
  const label = `${asset.name} (${asset.id})`;
  // The old backend's fields, all rows at once so that a failure names every row that differs:
  // registeredBy, the creator's email (AssetCard.tsx prints it); nna_address, the letter-form MFA,
  // base only; name, the HFN, composites with their components' letter-form MFAs joined by ':';
  // components in letter-form MFAs; trainingData and rights, JSON-encoded object strings.
  const oldRows = {
    registeredBy: asset['registeredBy'],
    nna_address: asset.nna_address,
    name: asset.name,
    components: asset['components'],
    trainingData: typeof asset['trainingData'],
    rights: typeof asset['rights'],
    __v: asset['__v'],
  };
  expect(oldRows, label).to.deep.equal({
    registeredBy: expected.registeredBy,
    nna_address: expected.nna_address,
    name: expected.name,
    components: expected.components,
    trainingData: 'string',
    rights: 'string',
    __v: 0,
  });
  expect(asset.nna_address, label).to.match(LETTER_MFA);
  // Then the canonical forms beside them.
  expect(asset['createdBy'], label).to.equal(expected.registeredBy);
  expect(asset['mfa'], label).to.equal(expected.mfa);
  expect(asset['hfn'], label).to.equal(expected.hfn);
  expect(JSON.parse(asset['trainingData'] as string), label).to.deep.equal(asset['trainingDataInfo']);
  expect(JSON.parse(asset['rights'] as string), label).to.deep.equal(asset['rightsInfo']);
}

/**
 * Every field the imported asset serves, the created one serves too, with a value of the same type;
 * `except` names fields a created asset has only with a file (`gcpStorageUrl`).
 */
function expectSameFields(imported: Asset, created: Asset, except: readonly string[] = []): void {
  const typeOf = (value: unknown) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);
  for (const [field, value] of Object.entries(imported)) {
    if (except.includes(field)) continue;
    expect(typeOf(created[field]), `${field}: ${JSON.stringify(created[field])}`).to.equal(typeOf(value));
  }
}

describe('frontend contract: one shape for imported, created and updated assets', function () {
  this.timeout(120_000);
  const api = useApi();
  useImportedAssets();

  const get = async (reference: string) => dataOf<Asset>(await call(api.url, 'GET', `/api/assets/nna/${encodeURIComponent(reference)}`));

  it('an imported asset answers every row in the old form, with the canonical forms beside', async () => {
    const source = stagingSample('S.POP.DIV.003');
    const asset = await get('S.POP.DIV.003');
    expectOneShape(asset, {
      registeredBy: source.registeredBy as string,
      hfn: 'S.POP.DIV.003',
      mfa: '2.001.002.003',
      nna_address: 'S.001.002.003',
      name: 'S.POP.DIV.003',
      components: [''],
    });
    const composite = await get('C.FUL.POP.125');
    expect(composite).to.include({ name: stagingSample('C.FUL.POP.125').name, nna_address: 'C.003.001.125', mfa: '9.003.001.125' });
    expect(composite['hfn']).to.match(/^C\.FUL\.POP\.125:G\.HIP\.MOD\.001\+S\.POP\.DIV\.004(\+[A-Z]\.[A-Z0-9]{3}\.[A-Z0-9]{3}\.\d{3}){3}$/);
    expect(composite['components']).to.deep.equal(['G.003.003.001', 'S.001.002.004', 'L.006.005.001', 'M.017.001.017', 'W.007.004.001']);
  });

  it('a created asset (the frontend’s multipart form, with a file) answers every row as the imported one does', async () => {
    const form = formOf(
      {
        layer: 'S',
        category: 'Pop',
        subcategory: 'Pop_Diva_Female_Stars',
        source: 'ReViz',
        description: 'A new diva',
        tags: JSON.stringify(['diva']),
        trainingData: JSON.stringify({ prompts: ['sing'], images: [], videos: [] }),
        rights: JSON.stringify({ source: 'Original', rights_split: '100%' }),
      },
      { name: 'diva.png', type: 'image/png', bytes: await pngImage() },
    );
    const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, body: form });
    expect(reply.status, reply.text).to.equal(201);
    const created = dataOf<Asset>(reply);
    const hfn = created.name;
    expect(hfn).to.match(/^S\.POP\.DIV\.\d{3}$/);
    const sequence = hfn.slice(-3);
    const expected = { registeredBy: EDITOR_EMAIL, hfn, mfa: `2.001.002.${sequence}`, nna_address: `S.001.002.${sequence}`, name: hfn, components: [] };
    expectOneShape(created, expected);
    expect(JSON.parse(created['trainingData'] as string)).to.deep.equal({ prompts: ['sing'], images: [], videos: [] });
    // Read back, it is the same; and it serves every field the imported asset does, typed alike.
    const read = await get(created.nna_address);
    expectOneShape(read, expected);
    expectSameFields(await get('S.POP.DIV.003'), read);
    // Found by every spelling: by address, by a search for the typed address, and to update.
    for (const reference of [hfn, expected.mfa, expected.nna_address, hfn.toLowerCase()]) {
      expect((await get(reference)).id, reference).to.equal(created.id);
      const page = dataOf<{ items: Asset[] }>(await call(api.url, 'GET', `/api/assets?search=${encodeURIComponent(reference)}&limit=20`));
      expect(page.items[0]?.id, `search ${reference}`).to.equal(created.id);
    }
    const updated = await call(api.url, 'PUT', `/api/assets/${encodeURIComponent(expected.nna_address)}`, {
      token: TOKENS.editor,
      json: { description: 'Renamed diva' },
    });
    expect(updated.status, updated.text).to.equal(200);
    expect(dataOf<Asset>(updated)).to.include({ id: created.id, description: 'Renamed diva', nna_address: expected.nna_address });
  });

  it('an updated asset stays in shape: trainingData and rights sent as objects are stored and served as JSON text', async () => {
    const created = dataOf<Asset>(
      await call(api.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        json: { layer: 'S', category: 'POP', subcategory: 'DIV', description: 'To be edited', tags: ['diva'], trainingData: {}, rights: {} },
      }),
    );
    const hfn = created.name;
    const sequence = hfn.slice(-3);
    const reply = await call(api.url, 'PUT', `/api/assets/${encodeURIComponent(hfn)}`, {
      token: TOKENS.editor,
      json: { description: 'Edited', trainingData: { prompts: ['again'], images: [], videos: [] }, rights: { source: 'Licensed', rights_split: '50%' } },
    });
    expect(reply.status, reply.text).to.equal(200);
    const updated = dataOf<Asset>(reply);
    expectOneShape(updated, { registeredBy: EDITOR_EMAIL, hfn, mfa: `2.001.002.${sequence}`, nna_address: `S.001.002.${sequence}`, name: hfn, components: [] });
    expect(updated['rights']).to.equal('{"source":"Licensed","rights_split":"50%"}');
    expectSameFields(await get('S.POP.DIV.003'), updated, ['gcpStorageUrl']);
    // An imported asset updated the same way keeps its own fields and gets JSON text too.
    const importedReply = await call(api.url, 'PUT', `/api/assets/S.001.002.003`, { token: TOKENS.editor, json: { trainingData: { prompts: ['x'] } } });
    expect(importedReply.status, importedReply.text).to.equal(200);
    const imported = dataOf<Asset>(importedReply);
    expect(imported['trainingData']).to.equal('{"prompts":["x"],"images":[],"videos":[]}');
    expectOneShape(imported, {
      registeredBy: stagingSample('S.POP.DIV.003').registeredBy as string,
      hfn: 'S.POP.DIV.003',
      mfa: '2.001.002.003',
      nna_address: 'S.001.002.003',
      name: 'S.POP.DIV.003',
      components: [''],
    });
  });

  it('a composite created from components[] in any spelling is named as the registry names its composites', async () => {
    const star = dataOf<Asset>(
      await call(api.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        json: { layer: 'S', category: 'POP', subcategory: 'DIV', description: 'Component', tags: [], trainingData: {}, rights: {} },
      }),
    );
    // What the frontend sends: each component's nna_address (assetService.ts), here one imported, one new.
    const form = formOf({
      layer: 'C',
      category: 'FUL',
      subcategory: 'POP',
      description: 'A remix',
      tags: JSON.stringify(['remix']),
      trainingData: JSON.stringify({ prompts: [], images: [], videos: [] }),
      rights: JSON.stringify({ source: 'Original', rights_split: '100%' }),
      components: ['G.003.003.001', star.nna_address],
    });
    const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, body: form });
    expect(reply.status, reply.text).to.equal(201);
    const composite = dataOf<Asset>(reply);
    const hfn = composite.name.split(':')[0]!;
    expect(hfn).to.match(/^C\.FUL\.POP\.\d{3}$/);
    const sequence = hfn.slice(-3);
    expectOneShape(composite, {
      registeredBy: EDITOR_EMAIL,
      hfn: `${hfn}:G.HIP.MOD.001+${star.name}`,
      mfa: `9.003.001.${sequence}`,
      nna_address: `C.003.001.${sequence}`,
      name: `${hfn}:G.003.003.001:${star.nna_address}`,
      components: ['G.003.003.001', star.nna_address],
    });
    // Every spelling finds it, and a component spelled the new way resolves too.
    for (const reference of [composite.name, composite.nna_address, composite['mfa'] as string, composite['hfn'] as string, hfn]) {
      expect((await get(reference)).id, reference).to.equal(composite.id);
    }
    expect((await get(star['mfa'] as string)).id).to.equal(star.id);
  });

  it('bad input is unchanged: trainingData or rights that is not an object or its JSON text is a 400 naming it; an unknown address a 400 or 404', async () => {
    for (const [field, value] of [
      ['trainingData', '"just text"'],
      ['trainingData', 42],
      ['rights', '[1,2]'],
      ['rights', 'not json'],
    ] as const) {
      const reply = await call(api.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        json: { layer: 'S', category: 'POP', subcategory: 'DIV', description: 'Bad', tags: [], [field]: value },
      });
      expect(reply.status, `${field}=${JSON.stringify(value)}: ${reply.text}`).to.equal(400);
      expect(reply.text).to.contain(`"path":"${field}"`);
    }
    for (const reference of ['S.999.999.001', 'Q.001.001.001', 'S.001.002.999', 'C.FUL.POP.125:Z.1']) {
      const reply = await call(api.url, 'GET', `/api/assets/nna/${encodeURIComponent(reference)}`);
      expect([400, 404], `${reference}: ${reply.text}`).to.include(reply.status);
      expect(reply.body.success, reference).to.equal(false);
    }
  });
});
