import { expect } from 'chai';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Timestamp } from '@google-cloud/firestore';
import { useApi, type ApiServer } from '../support/api-server.js';
import { formOf, starPayload } from '../support/asset-fixtures.js';
import { pngImage } from '../support/sample-uploads.js';
import { testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';

type Asset = Record<string, unknown> & { id: string; name: string; nna_address: string; files: Array<{ url: string }> };

/** The local blob store keeps an object named N at <blobDirectory>/<N>. */
function blobPath(api: ApiServer, url: string): string {
  return path.join(api.blobDirectory, decodeURIComponent(url.replace('http://blobs.test/', '')));
}

describe('soft delete, restore and purge', function () {
  const api = useApi({ ALBUM_ART_PUBLIC_BASE_URL: 'http://album-art.test' });

  async function createWithFile(overrides: Record<string, unknown> = {}): Promise<Asset> {
    const form = formOf(starPayload(overrides), { name: 'still.png', type: 'image/png', bytes: await pngImage() });
    return dataOf<Asset>(await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, body: form }));
  }

  it('hides a deleted asset from every read path, and restore gives back the byte-identical asset and its file', async () => {
    const asset = await createWithFile({ tags: ['findme'] });
    const before = await call(api.url, 'GET', `/api/assets/${asset.id}`);
    const stored = (await testFirestore().collection('assets').doc(asset.id).get()).data();
    const deleted = await call(api.url, 'DELETE', `/api/assets/${asset.id}?reason=mistake`, { token: TOKENS.editor });
    expect(deleted.status, deleted.text).to.equal(200);
    expect(dataOf(deleted)).to.include({ id: asset.id, deleted: true, purged: false });

    expect((await call(api.url, 'GET', `/api/assets/${asset.id}`)).status).to.equal(404);
    expect((await call(api.url, 'GET', `/api/assets/nna/${asset.name}`)).status).to.equal(404);
    expect((await call(api.url, 'GET', `/api/assets/nna/${asset.nna_address}`)).status).to.equal(404);
    expect(dataOf<{ total: number }>(await call(api.url, 'GET', '/api/assets')).total).to.equal(0);
    expect(dataOf<{ total: number }>(await call(api.url, 'GET', '/api/assets/search?search=findme')).total).to.equal(0);
    expect(dataOf<{ total: number }>(await call(api.url, 'GET', `/api/assets/search?search=${asset.id}`)).total).to.equal(0);
    expect((await call(api.url, 'PUT', `/api/assets/${asset.id}`, { token: TOKENS.editor, json: { description: 'x' } })).status).to.equal(404);
    expect(existsSync(blobPath(api, asset.files[0]!.url))).to.equal(true);

    // The HFN stays reserved: the next asset in the subcategory gets the next number.
    expect((await createWithFile()).name).to.equal('S.POP.BAS.002');

    const listing = await call(api.url, 'GET', '/api/assets/deleted', { token: TOKENS.admin });
    const items = dataOf<{ items: Array<Record<string, unknown>> }>(listing).items;
    expect(items).to.have.length(1);
    expect(items[0]).to.include({ id: asset.id, deletedBy: 'editor@example.com', reason: 'mistake' });
    expect((await call(api.url, 'GET', '/api/assets/deleted', { token: TOKENS.editor })).status).to.equal(403);
    expect((await call(api.url, 'POST', `/api/assets/${asset.id}/restore`, { token: TOKENS.editor })).status).to.equal(403);

    const restored = await call(api.url, 'POST', `/api/assets/${asset.id}/restore`, { token: TOKENS.admin });
    expect(restored.status, restored.text).to.equal(200);
    const after = await call(api.url, 'GET', `/api/assets/${asset.id}`);
    expect(after.text).to.equal(before.text);
    expect(after.headers.get('etag')).to.equal(before.headers.get('etag'));
    expect((await testFirestore().collection('assets').doc(asset.id).get()).data()).to.deep.equal(stored);
    expect(existsSync(blobPath(api, asset.files[0]!.url))).to.equal(true);
    expect((await call(api.url, 'POST', `/api/assets/${asset.id}/restore`, { token: TOKENS.admin })).status).to.equal(404);
  });

  it('a deleted legacy asset keeps its number even where no counter existed', async () => {
    await testFirestore().collection('assets').doc('legacy7').set({
      name: 'S.POP.BAS.007',
      nna_address: '2.001.001.007',
      layer: 'S',
      category: 'Pop',
      subcategory: 'Base',
      description: 'legacy',
      tags: [],
      files: [],
      metadata: {},
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z',
    });
    expect((await call(api.url, 'DELETE', '/api/assets/legacy7', { token: TOKENS.editor })).status).to.equal(200);
    const next = dataOf<Asset>(await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() }));
    expect(next.name).to.equal('S.POP.BAS.008');
  });

  it('the sweep purges a deleted asset past its retention with its files; a restore then is 404', async () => {
    const asset = await createWithFile();
    const kept = await createWithFile();
    await call(api.url, 'DELETE', `/api/assets/${asset.id}`, { token: TOKENS.editor });
    await call(api.url, 'DELETE', `/api/assets/${kept.id}`, { token: TOKENS.editor });
    const sweepEarly = await call(api.url, 'POST', '/api/assets/deleted/purge-expired', { token: TOKENS.admin });
    expect(dataOf(sweepEarly)).to.deep.equal({ purged: 0 });
    // Drive the retention's end with an expired timestamp.
    await testFirestore()
      .collection('assets_deleted')
      .doc(asset.id)
      .update({ purgeAt: Timestamp.fromMillis(Date.now() - 1000) });
    expect((await call(api.url, 'POST', `/api/assets/${asset.id}/restore`, { token: TOKENS.admin })).status).to.equal(404);
    const sweep = await call(api.url, 'POST', '/api/assets/deleted/purge-expired', { token: TOKENS.admin });
    expect(dataOf(sweep)).to.deep.equal({ purged: 1 });
    expect((await testFirestore().collection('assets_deleted').doc(asset.id).get()).exists).to.equal(false);
    expect(existsSync(blobPath(api, asset.files[0]!.url))).to.equal(false);
    expect(existsSync(blobPath(api, kept.files[0]!.url))).to.equal(true);
    expect((await call(api.url, 'POST', '/api/assets/deleted/purge-expired', { token: TOKENS.editor })).status).to.equal(403);
  });

  it('DELETE ?purge=true by an admin removes the asset and its file at once; an editor may not', async () => {
    const asset = await createWithFile();
    expect((await call(api.url, 'DELETE', `/api/assets/${asset.id}?purge=true`, { token: TOKENS.editor })).status).to.equal(403);
    const purged = await call(api.url, 'DELETE', `/api/assets/${asset.id}?purge=true`, { token: TOKENS.admin });
    expect(dataOf(purged)).to.deep.equal({ id: asset.id, deleted: true, purged: true });
    expect(existsSync(blobPath(api, asset.files[0]!.url))).to.equal(false);
    expect((await testFirestore().collection('assets_deleted').doc(asset.id).get()).exists).to.equal(false);
    expect((await call(api.url, 'DELETE', `/api/assets/${asset.id}?purge=true`, { token: TOKENS.admin })).status).to.equal(404);
    expect((await call(api.url, 'DELETE', `/api/assets/${asset.id}?purge=maybe`, { token: TOKENS.admin })).status).to.equal(400);
  });

  it('purge removes album art (original, variants, manifest) only when no live or deleted asset shares it', async () => {
    const sha = 'a'.repeat(64);
    const artDirectory = path.join(api.blobDirectory, 'album-art-bucket');
    const original = `album-art/originals/${sha}`;
    const variant = `album-art/variants/${sha}/500.jpg`;
    const manifest = `album-art/variants/${sha}/manifest.json`;
    const image = { url: `http://album-art.test/${variant}`, width: 500, height: 500, bytes: 1 };
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(path.join(artDirectory, `album-art/variants/${sha}`), { recursive: true });
    await mkdir(path.join(artDirectory, 'album-art/originals'), { recursive: true });
    await writeFile(path.join(artDirectory, original), 'x');
    await writeFile(path.join(artDirectory, variant), 'x');
    const set = {
      sha256: sha,
      createdAt: new Date().toISOString(),
      variants: { '500': { jpg: image } },
      placeholder: 'p',
      dominantColor: '#000000',
      width: 500,
      height: 500,
    };
    await writeFile(path.join(artDirectory, manifest), JSON.stringify(set));
    const first = await createWithFile();
    const second = await createWithFile();
    for (const asset of [first, second]) {
      await testFirestore()
        .collection('assets')
        .doc(asset.id)
        .update({ albumArt: { status: 'ready', sha256: sha, variants: { '500': { jpg: image } } } });
    }
    const stored = () => [original, variant, manifest].map((name) => existsSync(path.join(artDirectory, name)));
    await call(api.url, 'DELETE', `/api/assets/${first.id}?purge=true`, { token: TOKENS.admin });
    expect(stored(), 'shared with a live asset').to.deep.equal([true, true, true]);
    await call(api.url, 'DELETE', `/api/assets/${second.id}`, { token: TOKENS.editor });
    await testFirestore().collection('assets').doc(first.id).delete();
    await call(api.url, 'DELETE', `/api/assets/${second.id}?purge=true`, { token: TOKENS.admin });
    expect(stored(), 'no one uses it').to.deep.equal([false, false, false]);
  });

  describe('composites', () => {
    async function componentAndComposite(): Promise<{ star: Asset; composite: Asset }> {
      const star = dataOf<Asset>(await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() }));
      const composite = dataOf<Asset>(
        await call(api.url, 'POST', '/api/assets', {
          token: TOKENS.editor,
          json: starPayload({ layer: 'C', category: 'RMX', subcategory: 'POP', components: [star.name] }),
        }),
      );
      return { star, composite };
    }

    it('refuses to delete a component a live composite names (409 naming it); an admin may force, the composite shows it deleted', async () => {
      const { star, composite } = await componentAndComposite();
      const refused = await call(api.url, 'DELETE', `/api/assets/${star.id}`, { token: TOKENS.editor });
      expect(refused.status).to.equal(409);
      expect(refused.body.error!.details[0]!.issue).to.include(composite.id).and.include(composite.name);
      expect((await call(api.url, 'GET', `/api/assets/${star.id}`)).status).to.equal(200);
      expect((await call(api.url, 'DELETE', `/api/assets/${star.id}?force=true`, { token: TOKENS.editor })).status).to.equal(403);
      const forced = await call(api.url, 'DELETE', `/api/assets/${star.id}?force=true`, { token: TOKENS.admin });
      expect(forced.status, forced.text).to.equal(200);
      expect(dataOf(await call(api.url, 'GET', `/api/assets/${composite.id}`))['deletedComponents']).to.deep.equal([star.name]);
      await call(api.url, 'POST', `/api/assets/${star.id}/restore`, { token: TOKENS.admin });
      expect(dataOf(await call(api.url, 'GET', `/api/assets/${composite.id}`))).to.deep.equal(composite);
    });

    it('refuses to create a composite from a deleted component', async () => {
      const star = dataOf<Asset>(await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() }));
      await call(api.url, 'DELETE', `/api/assets/${star.id}`, { token: TOKENS.editor });
      const refused = await call(api.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        json: starPayload({ layer: 'C', category: 'RMX', subcategory: 'POP', components: [star.name] }),
      });
      expect(refused.status).to.equal(400);
      expect(refused.body.error!.details).to.deep.equal([{ path: 'components.0', issue: `Component ${star.name} is deleted; restore it first` }]);
    });
  });
});
