import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { starPayload, formOf } from '../support/asset-fixtures.js';
import { useApi } from '../support/api-server.js';
import { pngImage } from '../support/sample-uploads.js';
import { snapshotCollection } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';

type Asset = Record<string, unknown> & { id: string; name: string; nna_address: string; metadata: Record<string, unknown> };

function filesUnder(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.parentPath.includes('.meta'))
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)));
}

describe('POST /api/assets', function () {
  const api = useApi();
  beforeEach(() => rmSync(api.blobDirectory, { recursive: true, force: true }));

  async function expectNothingWritten(): Promise<void> {
    expect(await snapshotCollection('assets')).to.deep.equal({});
    expect(filesUnder(api.blobDirectory)).to.deep.equal([]);
  }

  it('creates from JSON with display names, numbering from 001', async () => {
    const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() });
    expect(reply.status).to.equal(201);
    const asset = dataOf<Asset>(reply);
    expect(asset).to.include({
      name: 'S.POP.BAS.001',
      hfn: 'S.POP.BAS.001',
      nna_address: 'S.001.001.001',
      mfa: '2.001.001.001',
      layer: 'S',
      category: 'Pop',
      subcategory: 'Base',
      categoryCode: 'POP',
      subcategoryCode: 'BAS',
    });
    expect(asset.id).to.equal(asset['_id']);
    // The old backend's forms (docs/api.md, "One shape"), the objects beside them.
    expect(asset['trainingData']).to.equal('{"prompts":[],"images":[],"videos":[]}');
    expect(asset['trainingDataInfo']).to.deep.equal({ images: [], prompts: [], videos: [] });
    expect(asset['rights']).to.equal('{"source":"Original","rights_split":"100%"}');
    expect(asset['rightsInfo']).to.deep.equal({ rights_split: '100%', source: 'Original' });
    expect(asset['createdBy']).to.equal('editor@example.com');
    expect(asset['registeredBy']).to.equal('editor@example.com');
    expect(asset.metadata).to.include({ humanFriendlyName: 'S.POP.BAS.001', machineFriendlyAddress: '2.001.001.001' });
    expect(reply.headers.get('location')).to.equal(`/api/assets/${asset.id}`);
    expect(reply.headers.get('etag')).to.match(/^"[\w-]+"$/);
    expect(asset).not.to.have.any.keys('creatorDescription', 'albumArt', 'aiMetadata', '_sys');
  });

  it('accepts codes as well as names and keeps the chosen subcategory', async () => {
    const asset = dataOf<Asset>(
      await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ category: 'POP', subcategory: 'HPM' }) }),
    );
    expect(asset.name).to.equal('S.POP.HPM.001');
    expect(asset['subcategory']).to.equal('Pop_Hipster_Male_Stars');
  });

  it('creates from a multipart form with a file, storing it under its organized name', async () => {
    const bytes = await pngImage();
    const form = formOf(starPayload({ category: 'VAV', tags: '["a","b"]', components: [''] }), { name: 'still.PNG', type: 'image/png', bytes });
    const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, body: form });
    expect(reply.status, reply.text).to.equal(201);
    const asset = dataOf<Asset>(reply);
    expect(asset.name).to.equal('S.VAV.BAS.001');
    expect(asset['tags']).to.deep.equal(['a', 'b']);
    expect(asset['gcpStorageUrl']).to.equal('http://blobs.test/S/VAV/BAS/S.VAV.BAS.001.png');
    const files = asset['files'] as Array<Record<string, unknown>>;
    expect(files).to.have.length(1);
    expect(files[0]).to.include({ filename: 'S.VAV.BAS.001.png', contentType: 'image/png', size: bytes.length, url: asset['gcpStorageUrl'] });
    expect(filesUnder(api.blobDirectory)).to.deep.equal(['S/VAV/BAS/S.VAV.BAS.001.png']);
    expect(readFileSync(path.join(api.blobDirectory, 'S/VAV/BAS/S.VAV.BAS.001.png')).equals(bytes)).to.equal(true);
  });

  it('stores the new fields: creatorDescription trimmed and verbatim, albumArt with its default source, aiMetadata', async () => {
    const words = `  ${'é'.repeat(10)} Ünïcode 🎵 kept as typed  `;
    const aiMetadata = { generatedBy: 'gpt', generationStrategy: 'song-first', processingTime: 1200, confidence: 0.9, generatedAt: '2025-06-01T10:00:00.000Z' };
    const reply = await call(api.url, 'POST', '/api/assets', {
      token: TOKENS.editor,
      json: starPayload({
        layer: 'G',
        category: 'POP',
        subcategory: 'BAS',
        creatorDescription: words,
        albumArt: { sourceUrl: 'https://is1-ssl.mzstatic.com/a.jpg' },
        aiMetadata,
      }),
    });
    const asset = dataOf<Asset>(reply);
    expect(asset['creatorDescription']).to.equal(words.trim());
    // The default album-art shape: the image URL as albumArt, the object beside it.
    expect(asset['albumArt']).to.equal('https://is1-ssl.mzstatic.com/a.jpg');
    expect(asset['albumArtInfo']).to.include({ sourceUrl: 'https://is1-ssl.mzstatic.com/a.jpg', source: 'iTunes' });
    expect(asset['aiMetadata']).to.deep.equal(aiMetadata);
  });

  it('counts creatorDescription in characters: 500 emoji pass, 501 fail', async () => {
    const ok = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ creatorDescription: '🎵'.repeat(500) }) });
    expect(ok.status).to.equal(201);
    const tooLong = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ creatorDescription: 'x'.repeat(501) }) });
    expect(tooLong.status).to.equal(400);
    expect(tooLong.body.error!.details).to.deep.equal([{ path: 'creatorDescription', issue: 'must be at most 500 characters' }]);
  });

  it('creates composites named as the registry names them (base:component:component in letter-form MFAs), components in order', async () => {
    const star = dataOf<Asset>(await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ category: 'FAN' }) }));
    const look = dataOf<Asset>(
      await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ layer: 'L', category: 'VIN', subcategory: 'BAS' }) }),
    );
    const reply = await call(api.url, 'POST', '/api/assets', {
      token: TOKENS.editor,
      json: starPayload({ layer: 'C', category: 'RMX', subcategory: 'POP', components: [star.name, look.nna_address] }),
    });
    expect(reply.status, reply.text).to.equal(201);
    const composite = dataOf<Asset>(reply);
    expect(composite.name).to.equal('C.RMX.POP.001:S.016.001.001:L.007.001.001');
    expect(composite['hfn']).to.equal('C.RMX.POP.001:S.FAN.BAS.001+L.VIN.BAS.001');
    expect(composite.nna_address).to.equal('C.001.001.001');
    expect(composite['mfa']).to.equal('9.001.001.001');
    expect(composite['components']).to.deep.equal(['S.016.001.001', 'L.007.001.001']);
    expect(composite.metadata).to.include({ componentCount: 2 });
  });

  describe('refusals: a clear error and nothing written', () => {
    const cases: Array<[string, Record<string, unknown>, number, Array<{ path: string; issue: RegExp | string }>]> = [
      [
        'an invalid subcategory for the category',
        starPayload({ layer: 'C', category: 'Music_Video_ReMixes', subcategory: 'Base' }),
        400,
        [{ path: 'subcategory', issue: 'Invalid subcategory: Base for layer: C, category: Music_Video_ReMixes' }],
      ],
      ['an unknown layer', starPayload({ layer: 'Z' }), 400, [{ path: 'layer', issue: 'Invalid layer: Z' }]],
      [
        'a composite with no components (the old frontend bug)',
        starPayload({ layer: 'C', category: 'RMX', subcategory: 'POP', components: [''] }),
        400,
        [{ path: 'components', issue: /at least one component/ }],
      ],
      [
        'a composite whose component does not exist',
        starPayload({ layer: 'C', category: 'RMX', subcategory: 'POP', components: ['S.FAN.BAS.001', 'nonsense'] }),
        400,
        [
          { path: 'components.0', issue: 'Component S.FAN.BAS.001 does not exist' },
          { path: 'components.1', issue: /not a valid HFN/ },
        ],
      ],
      ['components on a non-composite', starPayload({ components: ['S.POP.BAS.001'] }), 400, [{ path: 'components.0', issue: /does not exist/ }]],
      [
        'several bad fields at once',
        { layer: '', category: 5, description: '   ', source: 'Nobody', tags: 'x'.repeat(65), aiMetadata: { confidence: 2 } },
        400,
        [
          { path: 'layer', issue: 'is required' },
          { path: 'category', issue: 'must be text, e.g. "pop"' },
          { path: 'subcategory', issue: 'is required' },
          { path: 'source', issue: /^must be one of ReViz, .* \(e\.g\. ReViz\)$/ },
          { path: 'description', issue: 'is required' },
          { path: 'tags', issue: 'must be a list, e.g. ["pop","dance"]' },
          // Every aiMetadata field is optional (the web frontend sends its own shape); ranges still hold.
          { path: 'aiMetadata.confidence', issue: /<=1/ },
        ],
      ],
      [
        'schema and taxonomy errors together (a bad layer and a missing description)',
        { layer: 'Q' },
        400,
        [
          { path: 'category', issue: 'is required' },
          { path: 'subcategory', issue: 'is required' },
          { path: 'description', issue: 'is required' },
          { path: 'layer', issue: 'Invalid layer: Q' },
        ],
      ],
      [
        'a bad subcategory together with a bad tag list',
        starPayload({ subcategory: 'Nope', tags: 'pop' }),
        400,
        [
          { path: 'tags', issue: 'must be a list, e.g. ["pop","dance"]' },
          { path: 'subcategory', issue: /^Invalid subcategory: Nope/ },
        ],
      ],
      [
        'fields the registry does not know, each by name',
        starPayload({ colour: 'red', nna_address: '2.001.001.001' }),
        400,
        [
          { path: 'colour', issue: /is not a field of this request/ },
          { path: 'nna_address', issue: /is not a field of this request/ },
        ],
      ],
      [
        'metadata nested deeper than Firestore stores',
        starPayload({ metadata: JSON.parse('{"a":'.repeat(25) + '1' + '}'.repeat(25)) }),
        400,
        [{ path: 'metadata', issue: /nested deeper than/ }],
      ],
      ['metadata with an empty key', starPayload({ metadata: { '': 1 } }), 400, [{ path: 'metadata', issue: /empty key/ }]],
      ['metadata with a key Firestore reserves', starPayload({ metadata: { nested: { __name__: 1 } } }), 400, [{ path: 'metadata', issue: /reserved key/ }]],
      [
        'metadata with an array inside an array',
        starPayload({ metadata: { grid: [[1, 2]] } }),
        400,
        [{ path: 'metadata', issue: /array directly inside an array/ }],
      ],
      ['rights with an array inside an array', starPayload({ rights: { splits: [[1]] } }), 400, [{ path: 'rights', issue: /array directly inside an array/ }]],
      ['rights that are not JSON', starPayload({ rights: '{not json' }), 400, [{ path: 'rights', issue: /must be a JSON object/ }]],
      [
        'an albumArt source URL that is not http(s)',
        starPayload({ albumArt: { sourceUrl: 'file:///etc/passwd' } }),
        400,
        [{ path: 'albumArt.sourceUrl', issue: 'must be an http or https URL' }],
      ],
    ];
    for (const [label, payload, status, details] of cases) {
      it(`refuses ${label}`, async () => {
        const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: payload });
        expect(reply.status, reply.text).to.equal(status);
        expect(reply.body.success).to.equal(false);
        expect(reply.body.error!.code).to.equal('VALIDATION_FAILED');
        const actual = reply.body.error!.details;
        expect(actual.map((detail) => detail.path)).to.deep.equal(details.map((detail) => detail.path));
        details.forEach((expected, index) => {
          if (typeof expected.issue === 'string') expect(actual[index]!.issue).to.equal(expected.issue);
          else expect(actual[index]!.issue).to.match(expected.issue);
        });
        await expectNothingWritten();
      });
    }

    it('refuses a body that is not JSON with 400 in the envelope', async () => {
      const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, body: '{"layer":', headers: { 'Content-Type': 'application/json' } });
      expect(reply.status).to.equal(400);
      expect(reply.body.error).to.deep.include({ code: 'VALIDATION_FAILED', message: '(body): is not valid JSON' });
      expect(reply.text).not.to.match(/at \w+ \(/);
      await expectNothingWritten();
    });

    it('refuses a JSON body that is not an object', async () => {
      const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: ['S'] });
      expect(reply.status).to.equal(400);
      expect(reply.body.error!.details).to.deep.equal([{ path: '(body)', issue: 'must be a JSON object' }]);
      await expectNothingWritten();
    });

    it('refuses an unsupported content type with 415', async () => {
      const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, body: '<asset/>', headers: { 'Content-Type': 'application/xml' } });
      expect(reply.status).to.equal(415);
      expect(reply.body.error!.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
      await expectNothingWritten();
    });

    for (const [label, headers, body] of [
      // A Blob without a type, not a string: fetch would add text/plain to a string body.
      ['a JSON body sent without Content-Type', {}, new Blob([JSON.stringify(starPayload())])],
      ['a urlencoded form', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'layer=S&category=POP&subcategory=BAS&description=x'],
      ['a text body', { 'Content-Type': 'text/plain' }, JSON.stringify(starPayload())],
    ] as Array<[string, Record<string, string>, string | Blob]>) {
      it(`refuses ${label} with 415 naming JSON and multipart`, async () => {
        const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, body, headers });
        expect(reply.status, reply.text).to.equal(415);
        expect(reply.body.error!.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
        expect(reply.body.error!.message).to.match(/use application\/json or multipart\/form-data/);
        await expectNothingWritten();
      });
    }

    it('refuses writes without a token (401), with a bad token (401) and without the editor role (403)', async () => {
      const none = await call(api.url, 'POST', '/api/assets', { json: starPayload() });
      expect(none.status).to.equal(401);
      expect(none.body.error!.code).to.equal('UNAUTHENTICATED');
      const bad = await call(api.url, 'POST', '/api/assets', { token: 'Bearer forged', json: starPayload() });
      expect(bad.status).to.equal(401);
      const notBearer = await call(api.url, 'POST', '/api/assets', { token: 'Basic abc', json: starPayload() });
      expect(notBearer.status).to.equal(401);
      const reader = await call(api.url, 'POST', '/api/assets', { token: TOKENS.reader, json: starPayload() });
      expect(reader.status).to.equal(403);
      expect(reader.body.error!.code).to.equal('PERMISSION_DENIED');
      await expectNothingWritten();
    });

    it('refuses a multipart create that fails validation and removes the staged file', async () => {
      const form = formOf(starPayload({ layer: 'C', category: 'RMX', subcategory: 'Base' }), { name: 'a.mp4', type: 'video/mp4', bytes: new Uint8Array(1000) });
      const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, body: form });
      expect(reply.status).to.equal(400);
      await expectNothingWritten();
    });

    it('refuses a second file and an unexpected file field', async () => {
      const form = formOf(starPayload(), { name: 'a.mp4', type: 'video/mp4', bytes: new Uint8Array(10) });
      form.append('file', new Blob([new Uint8Array(10)]), 'b.mp4');
      const two = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, body: form });
      expect(two.status).to.equal(400);
      expect(two.body.error!.details[0]).to.deep.equal({ path: 'file', issue: 'only one file may be sent' });
      const other = await call(api.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        body: formOf(starPayload(), { name: 'a', type: 'text/plain', bytes: new Uint8Array(1), field: 'avatar' }),
      });
      expect(other.status).to.equal(400);
      expect(other.body.error!.details[0]!.path).to.equal('avatar');
      await expectNothingWritten();
    });
  });
});

describe('POST /api/assets with a small body limit and the CREATOR_DESCRIPTION flag off', function () {
  const api = useApi({ MAX_REQUEST_BYTES: String(64 * 1024), FLAG_CREATOR_DESCRIPTION: 'false' });
  beforeEach(() => rmSync(api.blobDirectory, { recursive: true, force: true }));

  it('answers 413 naming the limit for a larger multipart body, storing nothing', async () => {
    const form = formOf(starPayload(), { name: 'big.mp4', type: 'video/mp4', bytes: new Uint8Array(100 * 1024) });
    const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, body: form });
    expect(reply.status).to.equal(413);
    expect(reply.body.error!.message).to.equal('The request body exceeds the limit of 65536 bytes (64 KiB) for this route');
    expect(await snapshotCollection('assets')).to.deep.equal({});
    expect(filesUnder(api.blobDirectory)).to.deep.equal([]);
  });

  it('answers 413 for a larger JSON body', async () => {
    const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ description: 'x'.repeat(70 * 1024) }) });
    expect(reply.status).to.equal(413);
    expect(await snapshotCollection('assets')).to.deep.equal({});
  });

  it('refuses the new fields while the flag is off, and accepts old payloads', async () => {
    const refused = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ creatorDescription: 'mine' }) });
    expect(refused.status).to.equal(400);
    expect(refused.body.error!.code).to.equal('FEATURE_DISABLED');
    expect(refused.body.error!.message).to.match(/creatorDescription/);
    expect(await snapshotCollection('assets')).to.deep.equal({});
    const accepted = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() });
    expect(accepted.status).to.equal(201);
  });
});
