/**
 * The contract's table "What the frontend's code does, call by call", row by row: each test sends
 * the request the way the web frontend's code does and asserts what that code then reads.
 */
import { expect } from 'chai';
import { testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { formOf } from '../support/asset-fixtures.js';
import { MP3 } from '../support/sample-uploads.js';
import { TOKENS } from '../support/test-environment.js';
import { createAsset, FRONTEND_ORIGIN, registerUser, useContractServer, type Asset } from './contract-server.js';

interface Page {
  items: Asset[];
  total: number;
  page: number;
  limit: number;
}

function expectPage(page: Page, limit: number): void {
  expect(page.items).to.be.an('array');
  expect(page.total).to.be.a('number');
  expect(page.page).to.equal(1);
  expect(page.limit).to.equal(limit);
  for (const item of page.items)
    expect(item._id ?? item.id)
      .to.be.a('string')
      .and.not.equal('');
}

describe('frontend contract: call by call (development branch)', function () {
  this.timeout(120_000);
  const server = useContractServer();

  it('row "decides whether to really create or to make a mock asset": GET /api/health has top-level status "healthy"', async () => {
    const reply = await call(server.url, 'GET', '/api/health');
    expect(reply.status).to.equal(200);
    expect(reply.headers.get('content-type')).to.match(/^application\/json/);
    expect(reply.body['status']).to.equal('healthy');
    expect(reply.body.success).to.equal(true);
    expect((reply.body.data as { status: string }).status).to.equal('ok');
  });

  it('row "dashboard": GET /api/assets?page=1&limit=6 gives data.items/total/page/limit with ids', async () => {
    for (let index = 0; index < 7; index++) await createAsset(server.url, { description: `Star ${index}` });
    const page = dataOf<Page>(await call(server.url, 'GET', '/api/assets?page=1&limit=6'));
    expectPage(page, 6);
    expect(page.items).to.have.length(6);
    expect(page.total).to.equal(7);
    expect(page.items[0]!.id).to.equal(page.items[0]!._id);
  });

  it('row "browse page, first load": GET /api/assets?page=1&limit=12', async () => {
    await createAsset(server.url, {});
    const page = dataOf<Page>(await call(server.url, 'GET', '/api/assets?page=1&limit=12'));
    expectPage(page, 12);
    expect(page.items).to.have.length(1);
  });

  it('row "browse page search and filters": search, layer, category and subcategory names, limit=1000, sortBy createdAt', async () => {
    const asset = await createAsset(server.url, { description: 'Disco queen' });
    const reply = await call(server.url, 'GET', '/api/assets?search=disco&layer=S&category=Pop&subcategory=Base&page=1&limit=1000&sortBy=createdAt');
    expect(reply.status, reply.text).to.equal(200);
    const page = dataOf<Page>(reply);
    expectPage(page, 1000);
    expect(page.items.map((item) => item.id)).to.deep.equal([asset.id]);
    const unfiltered = await call(server.url, 'GET', '/api/assets?page=1&limit=1000&sortBy=createdAt&sortOrder=desc');
    expect(unfiltered.status, unfiltered.text).to.equal(200);
  });

  it('row "composite component picker": GET /api/assets?search=<HFN>&layer=S&limit=20 has the typed HFN among the items', async () => {
    const first = await createAsset(server.url, {});
    await createAsset(server.url, {});
    const page = dataOf<Page>(await call(server.url, 'GET', `/api/assets?search=${encodeURIComponent(first.name)}&layer=S&limit=20`));
    expect(page.items.map((item) => item.name)).to.include(first.name);
    const byText = dataOf<Page>(await call(server.url, 'GET', '/api/assets?search=pop%20star&layer=S&limit=20'));
    expect(byText.items.length).to.equal(2);
  });

  it('row "asset detail and edit pages load an asset": GET /api/assets?search=<asset id>&limit=1 gives that asset as items[0]', async () => {
    const wanted = await createAsset(server.url, { description: 'The one to open' });
    await createAsset(server.url, { description: 'Another' });
    const page = dataOf<Page>(await call(server.url, 'GET', `/api/assets?search=${wanted.id}&limit=1`));
    expect(page.items[0]!.id).to.equal(wanted.id);
    // A 24-hex legacy id is found as well, first among a 1000-item page.
    const legacyId = 'a1b2c3d4e5f60718293a4b5c';
    await testFirestore()
      .collection('assets')
      .doc(legacyId)
      .set({ ...(await testFirestore().collection('assets').doc(wanted.id).get()).data(), name: 'S.POP.BAS.777' });
    const legacy = dataOf<Page>(await call(server.url, 'GET', `/api/assets?search=${legacyId}&limit=1000`));
    expect(legacy.items[0]!.id).to.equal(legacyId);
  });

  it('row "edit page save": PUT /api/assets/<HFN> with {description, creatorDescription, tags, albumArt}', async () => {
    const song = await createAsset(server.url, { layer: 'G', category: 'POP', subcategory: 'BAS', description: 'A song' });
    const reply = await call(server.url, 'PUT', `/api/assets/${song.name}`, {
      token: TOKENS.editor,
      json: {
        description: 'A better song',
        creatorDescription: 'My song',
        tags: ['pop', 'summer'],
        albumArt: 'https://is1-ssl.mzstatic.com/image/thumb/a/100x100bb.jpg',
      },
    });
    expect(reply.status, reply.text).to.equal(200);
    const saved = dataOf<Asset>(reply);
    expect(saved.id).to.equal(song.id);
    expect(saved['description']).to.equal('A better song');
    expect(saved['creatorDescription']).to.equal('My song');
    expect(saved['tags']).to.deep.equal(['pop', 'summer']);
    // The same save by MFA, and a PATCH-like partial body.
    const byMfa = await call(server.url, 'PATCH', `/api/assets/${song.nna_address}`, { token: TOKENS.editor, json: { tags: ['pop'] } });
    expect(byMfa.status, byMfa.text).to.equal(200);
    expect(dataOf<Asset>(byMfa)['tags']).to.deep.equal(['pop']);
  });

  it('row "edit page album art": PUT with albumArt as an iTunes URL string is accepted and starts the album-art job', async () => {
    const song = await createAsset(server.url, { layer: 'G', category: 'POP', subcategory: 'BAS', description: 'A song' });
    const artwork = 'https://is1-ssl.mzstatic.com/image/thumb/Music/v4/cover/600x600bb.jpg';
    const reply = await call(server.url, 'PUT', `/api/assets/${song.name}`, { token: TOKENS.editor, json: { albumArt: artwork } });
    expect(reply.status, reply.text).to.equal(200);
    // The edit field and the thumbnail read asset.albumArt as an image URL: the source until the pipeline is ready.
    expect(dataOf<Asset>(reply)['albumArt']).to.equal(artwork);
    const albumArt = dataOf<Asset>(reply)['albumArtInfo'] as Record<string, unknown>;
    expect(albumArt).to.be.an('object');
    expect(albumArt['sourceUrl']).to.equal(artwork);
    expect(albumArt['status']).to.equal('pending');
    expect(albumArt['jobId']).to.be.a('string');
  });

  it('row "register asset": POST /api/assets multipart with the frontend fields and a signed-in token gives a 2xx with the asset in data', async () => {
    const { token } = await registerUser(server.url, `creator-${Date.now()}@example.com`);
    const component = await createAsset(server.url, {});
    const form = formOf(
      {
        layer: 'G',
        category: 'Pop',
        subcategory: 'Base',
        source: 'ReViz',
        description: 'An upbeat pop song about summer',
        tags: JSON.stringify(['pop', 'summer']),
        trainingData: JSON.stringify({ prompts: [], images: [], videos: [] }),
        rights: JSON.stringify({ source: 'Original', rights_split: '100%' }),
        creatorDescription: 'Summer Song',
        albumArt: 'https://is1-ssl.mzstatic.com/image/thumb/Music/summer/600x600bb.jpg',
        aiMetadata: JSON.stringify({
          generatedDescription: 'An upbeat pop song',
          mood: 'happy',
          genre: 'pop',
          bpm: 120,
          tags: ['pop'],
          duration: 201,
          key: 'C major',
          tempo: 'fast',
        }),
        extractedSongData: JSON.stringify({ songName: 'Summer', albumName: 'Seasons', artistName: 'Band' }),
        components: [''],
      },
      { name: 'song.mp3', type: 'audio/mpeg', bytes: MP3 },
    );
    const reply = await call(server.url, 'POST', '/api/assets', { token: `Bearer ${token}`, body: form });
    expect(reply.status, reply.text).to.be.within(200, 299);
    const asset = dataOf<Asset>(reply);
    expect(asset.name).to.match(/^G\.POP\.BAS\.\d{3}$/);
    expect(asset['creatorDescription']).to.equal('Summer Song');
    // The success page shows createdAsset.albumArt as an image.
    expect(asset['albumArt']).to.equal('https://is1-ssl.mzstatic.com/image/thumb/Music/summer/600x600bb.jpg');
    expect((asset['albumArtInfo'] as Record<string, unknown>)['sourceUrl']).to.equal('https://is1-ssl.mzstatic.com/image/thumb/Music/summer/600x600bb.jpg');
    expect((asset['albumArtInfo'] as Record<string, unknown>)['status']).to.equal('pending');
    expect(asset['aiMetadata']).to.deep.include({ generatedDescription: 'An upbeat pop song', mood: 'happy', bpm: 120, tempo: 'fast' });
    // Components as MFAs (development branch) on a composite.
    const composite = await call(server.url, 'POST', '/api/assets', {
      token: `Bearer ${token}`,
      body: formOf({ layer: 'C', category: 'RMX', subcategory: 'POP', description: 'A remix', components: [component.nna_address] }),
    });
    expect(composite.status, composite.text).to.equal(201);
    // Errors are read from error.message.
    const refused = await call(server.url, 'POST', '/api/assets', {
      token: `Bearer ${token}`,
      body: formOf({ layer: 'S', category: 'Pop', subcategory: 'Nope', description: 'x' }),
    });
    expect(refused.status).to.equal(400);
    expect(refused.body.error!.message).to.be.a('string').and.not.equal('');
  });

  it('row "NNA lookup": GET /api/assets/nna/:address gives the asset in data (HFN and MFA)', async () => {
    const asset = await createAsset(server.url, {});
    expect(dataOf<Asset>(await call(server.url, 'GET', `/api/assets/nna/${asset.name}`)).id).to.equal(asset.id);
    expect(dataOf<Asset>(await call(server.url, 'GET', `/api/assets/nna/${asset.nna_address}`)).id).to.equal(asset.id);
  });

  it('row "advanced search": POST /api/assets/search JSON gives data.items', async () => {
    const asset = await createAsset(server.url, { description: 'Neon night' });
    const page = dataOf<Page>(
      await call(server.url, 'POST', '/api/assets/search', {
        json: { search: 'neon', layer: 'S', page: 1, limit: 1000, sortBy: 'createdAt', sortOrder: 'desc' },
      }),
    );
    expect(page.items.map((item) => item.id)).to.deep.equal([asset.id]);
  });

  it('row "sign in": POST /api/auth/login {email, password} gives data {token, user}', async () => {
    const email = `signin-${Date.now()}@example.com`;
    await registerUser(server.url, email, 'pass-word-9');
    const reply = await call(server.url, 'POST', '/api/auth/login', { json: { email, password: 'pass-word-9' } });
    expect(reply.status, reply.text).to.equal(200);
    const data = dataOf<{ token: string; user: Record<string, unknown> }>(reply);
    expect(data.token)
      .to.be.a('string')
      .and.not.match(/^MOCK-/);
    expect(data.user).to.include({ email, username: email.split('@')[0], role: 'editor' });
    expect(data.user['id']).to.be.a('string');
  });

  it('row "sign up": POST /api/auth/register {username, email, password} gives data {token, user}', async () => {
    const email = `signup-${Date.now()}@example.com`;
    const reply = await call(server.url, 'POST', '/api/auth/register', { json: { username: 'newcomer', email, password: 'pass-word-9' } });
    expect(reply.status, reply.text).to.be.within(200, 299);
    const data = dataOf<{ token: string; user: Record<string, unknown> }>(reply);
    expect(data.token).to.be.a('string');
    expect(data.user).to.include({ email, username: 'newcomer', role: 'editor' });
  });

  it('row "profile": GET /api/auth/profile with the token gives the user (email, username, role)', async () => {
    const email = `profile-${Date.now()}@example.com`;
    const { token } = await registerUser(server.url, email);
    const profile = dataOf<Record<string, unknown>>(await call(server.url, 'GET', '/api/auth/profile', { token: `Bearer ${token}` }));
    expect(profile).to.include({ email, username: email.split('@')[0], role: 'editor' });
    expect((await call(server.url, 'GET', '/api/auth/profile')).status).to.equal(401);
  });

  it('row "any request answered 401": a read carrying a MOCK- or invalid token is served as anonymous, not 401', async () => {
    await createAsset(server.url, {});
    for (const token of ['Bearer MOCK-abc123xyz', 'Bearer not-a-token', 'Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.', 'Basic Zm9vOmJhcg==']) {
      const reply = await call(server.url, 'GET', '/api/assets?page=1&limit=12', { token });
      expect(reply.status, `${token}: ${reply.text}`).to.equal(200);
      expect((reply.body.data as Page).items).to.have.length(1);
    }
    // A write with such a token is still refused.
    expect(
      (
        await call(server.url, 'POST', '/api/assets', {
          token: 'Bearer MOCK-abc123xyz',
          json: { layer: 'S', category: 'POP', subcategory: 'BAS', description: 'x' },
        })
      ).status,
    ).to.equal(401);
  });

  it('row "taxonomy sync at start-up": /api/taxonomy/health, /version and /index answer raw JSON', async () => {
    const health = (await call(server.url, 'GET', '/api/taxonomy/health')).body as unknown as Record<string, unknown>;
    expect(health['status']).to.equal('healthy');
    expect(health['version']).to.be.a('string');
    expect(health['uptime']).to.be.a('number');
    expect(health['checks']).to.deep.equal({ database: true, cache: true, files: true });
    expect(health).not.to.have.property('success');
    const version = (await call(server.url, 'GET', '/api/taxonomy/version')).body as unknown as Record<string, unknown>;
    expect(version['version']).to.equal(health['version']);
    expect(new Date(version['lastUpdated'] as string).toISOString()).to.equal(version['lastUpdated']);
    const index = (await call(server.url, 'GET', '/api/taxonomy/index')).body as unknown as {
      version: string;
      lastUpdated: string;
      totalLayers: number;
      source: string;
      layers: Record<string, { totalCategories: number; totalSubcategories: number; categories: Record<string, { subcategoryCount: number }> }>;
    };
    expect(index.version).to.equal(health['version']);
    expect(index.source).to.equal('backend');
    expect(index.totalLayers).to.equal(10);
    expect(index.layers['G']!.categories['POP']!.subcategoryCount).to.be.a('number').above(0);
    expect(index.layers['S']!.totalCategories).to.equal(Object.keys(index.layers['S']!.categories).length);
  });

  it('row "taxonomy counts": layer-count, category-count, subcategory-count and subcategory-counts answer raw JSON', async () => {
    expect((await call(server.url, 'GET', '/api/taxonomy/layer-count')).body).to.deep.include({ count: 10 });
    expect(((await call(server.url, 'GET', '/api/taxonomy/layer-count')).body as unknown as { layers: string[] }).layers).to.include.members(['G', 'S', 'C']);
    expect((await call(server.url, 'GET', '/api/taxonomy/layers/S/category-count')).body).to.deep.equal({ layer: 'S', count: 16 });
    const subcategoryCount = (await call(server.url, 'GET', '/api/taxonomy/layers/S/categories/POP/subcategory-count')).body as unknown as Record<
      string,
      unknown
    >;
    expect(subcategoryCount).to.include({ layer: 'S', category: 'POP' });
    expect(subcategoryCount['count']).to.be.a('number').above(0);
    const counts = (await call(server.url, 'GET', '/api/taxonomy/layers/S/subcategory-counts')).body as unknown as {
      layer: string;
      counts: Array<{ category: string; count: number }>;
      totalCategories: number;
      totalSubcategories: number;
    };
    expect(counts.layer).to.equal('S');
    expect(counts.counts).to.have.length(16);
    expect(counts.totalCategories).to.equal(16);
    expect(counts.totalSubcategories).to.equal(counts.counts.reduce((sum, entry) => sum + entry.count, 0));
  });

  it('row "backend taxonomy setting": layers, categories, subcategories raw; POST convert/hfn-to-mfa and back', async () => {
    const layers = (await call(server.url, 'GET', '/api/taxonomy/layers')).body as unknown as Record<string, string>;
    expect(layers).to.include({ G: 'Songs', S: 'Stars' });
    expect(Object.keys(layers)).to.have.length(10);
    const categories = (await call(server.url, 'GET', '/api/taxonomy/layers/S/categories')).body as unknown as { categories: Array<Record<string, string>> };
    expect(categories.categories[0]).to.include({ code: 'POP', name: 'Pop', numericCode: '001' });
    const subcategories = (await call(server.url, 'GET', '/api/taxonomy/layers/S/categories/POP/subcategories')).body as unknown as {
      subcategories: Array<Record<string, string>>;
    };
    expect(subcategories.subcategories[0]).to.include({ code: 'BAS', numericCode: '001' });
    const toMfa = await call(server.url, 'POST', '/api/taxonomy/convert/hfn-to-mfa', { json: { hfn: 'S.POP.BAS.001' } });
    expect(toMfa.status).to.equal(200);
    expect(toMfa.body).to.deep.include({ success: true, mfa: '2.001.001.001' });
    const toHfn = await call(server.url, 'POST', '/api/taxonomy/convert/mfa-to-hfn', { json: { mfa: '2.001.001.001' } });
    expect(toHfn.body).to.deep.include({ success: true, hfn: 'S.POP.BAS.001' });
    // The OpenAPI document says which answers are raw.
    const openApi = (await call(server.url, 'GET', '/api/openapi.json')).body as unknown as {
      paths: Record<string, { get?: { responses: Record<string, { description: string }> } }>;
    };
    for (const rawPath of ['/api/taxonomy/layers', '/api/taxonomy/health', '/api/taxonomy/index', '/api/health']) {
      expect(openApi.paths[rawPath]!.get!.responses['200']!.description, rawPath).to.match(/read raw by the web frontend/);
    }
    const bad = await call(server.url, 'POST', '/api/taxonomy/convert/hfn-to-mfa', { json: { hfn: 'Q.NOPE' } });
    expect(bad.status).to.equal(400);
    expect(bad.body.success).to.equal(false);
  });

  it('row "every call made with its axios instance": CORS echoes the allowed origin with credentials; preflights answer 204', async () => {
    const reply = await call(server.url, 'GET', '/api/assets?page=1&limit=6', { headers: { Origin: FRONTEND_ORIGIN } });
    expect(reply.headers.get('access-control-allow-origin')).to.equal(FRONTEND_ORIGIN);
    expect(reply.headers.get('access-control-allow-credentials')).to.equal('true');
    expect(reply.headers.get('vary')).to.match(/Origin/);
    const other = await call(server.url, 'GET', '/api/health', { headers: { Origin: 'http://127.0.0.1:3000' } });
    expect(other.headers.get('access-control-allow-origin')).to.equal('http://127.0.0.1:3000');
    const stranger = await call(server.url, 'GET', '/api/health', { headers: { Origin: 'https://evil.example' } });
    expect(stranger.headers.get('access-control-allow-origin')).to.equal(null);
    expect(stranger.headers.get('access-control-allow-credentials')).to.equal(null);
    const preflight = await call(server.url, 'OPTIONS', '/api/assets/S.POP.BAS.001', {
      headers: {
        Origin: FRONTEND_ORIGIN,
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'authorization,content-type,cache-control,pragma,x-requested-at',
      },
    });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get('access-control-allow-origin')).to.equal(FRONTEND_ORIGIN);
    expect(preflight.headers.get('access-control-allow-credentials')).to.equal('true');
    const allowed = preflight.headers
      .get('access-control-allow-headers')!
      .toLowerCase()
      .split(/\s*,\s*/);
    expect(allowed).to.include.members(['authorization', 'content-type', 'cache-control', 'pragma', 'x-requested-at']);
    expect(preflight.headers.get('access-control-allow-methods')).to.match(/PUT/);
  });
});
