import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { useApi } from '../support/api-server.js';
import { formOf } from '../support/asset-fixtures.js';
import { pngImage } from '../support/sample-uploads.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';

describe('upload, taxonomy and OpenAPI endpoints', function () {
  const api = useApi();

  it('POST /api/assets/upload stores the file and describes it', async () => {
    const bytes = await pngImage();
    const reply = await call(api.url, 'POST', '/api/assets/upload', {
      token: TOKENS.editor,
      body: formOf({}, { name: 'cover.png', type: 'image/png', bytes }),
    });
    expect(reply.status, reply.text).to.equal(201);
    const result = dataOf<{ url: string; filename: string; size: number; mimeType: string; originalName: string }>(reply);
    expect(result).to.include({ size: bytes.length, mimeType: 'image/png', originalName: 'cover.png' });
    expect(result.filename).to.match(/^[0-9a-f-]{36}\.png$/);
    const objectName = result.url.replace('http://blobs.test/', '');
    expect(objectName).to.match(/^uploads\/\d{4}\/\d{2}\/\d{2}\//);
    expect(readFileSync(path.join(api.blobDirectory, objectName)).equals(bytes)).to.equal(true);
  });

  it('POST /api/assets/upload without a file is 400, without a token 401', async () => {
    const empty = await call(api.url, 'POST', '/api/assets/upload', { token: TOKENS.editor, body: formOf({ note: 'x' }) });
    expect(empty.status).to.equal(400);
    expect(empty.body.error!.details[0]!.path).to.equal('file');
    expect((await call(api.url, 'POST', '/api/assets/upload', { body: formOf({}) })).status).to.equal(401);
  });

  it('lists layers, categories and subcategories by code or name, 404 for unknown ones', async () => {
    // The layer map is raw (the web frontend reads its keys as the layer codes); see taxonomy-routes.ts.
    const layers = (await call(api.url, 'GET', '/api/taxonomy/layers')).body as unknown as Record<string, string>;
    expect(Object.keys(layers)).to.have.length(10);
    expect(layers['C']).to.equal('Composites');
    const categories = dataOf<Array<{ code: string; name: string }>>(await call(api.url, 'GET', '/api/taxonomy/layers/Stars/categories'));
    expect(categories).to.have.length(16);
    const subcategories = dataOf<Array<{ code: string; numericCode: string }>>(
      await call(api.url, 'GET', '/api/taxonomy/layers/C/categories/Music_Video_ReMixes/subcategories'),
    );
    expect(subcategories[0]).to.deep.equal({ code: 'POP', name: 'Pop_ReMixes', number: 1, numericCode: '001' });
    expect((await call(api.url, 'GET', '/api/taxonomy/layers/Q/categories')).status).to.equal(404);
    expect((await call(api.url, 'GET', '/api/taxonomy/layers/S/categories/NOPE/subcategories')).status).to.equal(404);
  });

  it('serves an OpenAPI 3.1 document covering every route, with resolvable references', async () => {
    const reply = await call(api.url, 'GET', '/api/openapi.json');
    expect(reply.status).to.equal(200);
    const document = reply.body as unknown as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.openapi).to.equal('3.1.0');
    expect(Object.keys(document.paths)).to.include.members([
      '/api/health',
      '/api/assets',
      '/api/assets/search',
      '/api/assets/{id}',
      '/api/assets/nna/{address}',
      '/api/assets/upload',
      '/api/taxonomy/layers',
      '/api/taxonomy/layers/{layer}/categories',
      '/api/taxonomy/layers/{layer}/categories/{category}/subcategories',
      '/api/openapi.json',
    ]);
    expect(Object.keys(document.paths['/api/assets/{id}']!)).to.have.members(['get', 'put', 'patch', 'delete']);
    const references = [...reply.text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]!);
    expect(references.length).to.be.greaterThan(5);
    for (const name of references) expect(document.components.schemas, name).to.have.property(name);
    const create = JSON.stringify(document.components.schemas['CreateAssetRequest']);
    expect(create).to.include('creatorDescription').and.include('"required":["layer","category","subcategory","description"]');
  });

  for (const path of ['/api', '/']) {
    it(`GET ${path} answers a JSON index of links that all answer`, async () => {
      const reply = await call(api.url, 'GET', path);
      expect(reply.status, reply.text).to.equal(200);
      const links = dataOf<{ links: Record<string, string> }>(reply).links;
      expect(links).to.include({ assets: '/api/assets', openapi: '/api/openapi.json', health: '/api/health', statusPage: '/admin' });
      for (const [name, link] of Object.entries(links)) {
        if (link.includes('{')) continue;
        // Readiness answers its report with 503 while a dependency it requires is down.
        expect((await call(api.url, 'GET', link)).status, name).to.be.oneOf(name === 'readiness' ? [200, 503] : [200]);
      }
    });
  }
});
