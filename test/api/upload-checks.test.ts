/**
 * Uploads are judged by their bytes: empty files, markup and scripts, and declared types the bytes
 * contradict are refused with a 400 naming `file` and leave nothing behind, on both routes that take
 * a file; what is stored carries the recognised type and is served with `nosniff`.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { useApi } from '../support/api-server.js';
import { formOf, starPayload } from '../support/asset-fixtures.js';
import { useBlobServer } from '../support/blob-server.js';
import { snapshotCollection } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import {
  gifImage,
  GLB,
  HTML_PAGE,
  htmlThenPng,
  jpegImage,
  JSON_TEXT,
  MP3,
  MP4,
  PLAIN_TEXT,
  pngImage,
  pngThenHtml,
  QUICKTIME,
  SCRIPT,
  SVG_IMAGE,
  WAV,
  XML_SVG,
} from '../support/sample-uploads.js';
import { TOKENS } from '../support/test-environment.js';

interface Sample {
  name: string;
  type: string;
  bytes: () => Promise<Buffer> | Buffer;
}

/** Every stored file but the sidecars of their headers. */
function storedFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.parentPath.includes('.meta'))
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)));
}

const refused: Array<[string, Sample, RegExp]> = [
  ['an empty file', { name: 'cover.png', type: 'image/png', bytes: () => Buffer.alloc(0) }, /is empty/],
  ['text declared image/png', { name: 'cover.png', type: 'image/png', bytes: () => PLAIN_TEXT }, /declared image\/png, but its bytes are plain text/],
  ['an HTML page', { name: 'page.html', type: 'text/html', bytes: () => HTML_PAGE }, /HTML, SVG, XML or script/],
  ['an HTML page declared image/png', { name: 'cover.png', type: 'image/png', bytes: () => HTML_PAGE }, /HTML, SVG, XML or script/],
  ['an SVG image', { name: 'logo.svg', type: 'image/svg+xml', bytes: () => SVG_IMAGE }, /HTML, SVG, XML or script/],
  ['an SVG declared image/png', { name: 'logo.png', type: 'image/png', bytes: () => SVG_IMAGE }, /HTML, SVG, XML or script/],
  ['an XML SVG declared application/octet-stream', { name: 'logo.bin', type: 'application/octet-stream', bytes: () => XML_SVG }, /HTML, SVG, XML or script/],
  ['a script', { name: 'app.js', type: 'text/javascript', bytes: () => SCRIPT }, /HTML, SVG, XML or script/],
  ['a page with a PNG after it', { name: 'cover.png', type: 'image/png', bytes: htmlThenPng }, /HTML, SVG, XML or script/],
  ['an MP3 declared image/png', { name: 'cover.png', type: 'image/png', bytes: () => MP3 }, /declared image\/png, but its bytes are audio\/mpeg/],
];

describe('uploads: sniffed, allowed per layer, never markup', function () {
  const api = useApi();
  const blobs = useBlobServer(api);
  beforeEach(() => rmSync(api.blobDirectory, { recursive: true, force: true }));

  async function form(fields: Record<string, unknown>, sample: Sample): Promise<FormData> {
    return formOf(fields, { name: sample.name, type: sample.type, bytes: new Uint8Array(await sample.bytes()) });
  }

  for (const [label, sample, issue] of refused) {
    it(`refuses ${label} on create and on upload: 400 naming file, nothing stored`, async () => {
      const created = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, body: await form(starPayload(), sample) });
      expect(created.status, created.text).to.equal(400);
      expect(created.body.error!.details).to.have.length(1);
      expect(created.body.error!.details[0]!.path).to.equal('file');
      expect(created.body.error!.details[0]!.issue).to.match(issue);
      const uploaded = await call(api.url, 'POST', '/api/assets/upload', { token: TOKENS.editor, body: await form({}, sample) });
      expect(uploaded.status, uploaded.text).to.equal(400);
      expect(uploaded.body.error!.details[0]!.path).to.equal('file');
      expect(uploaded.body.error!.details[0]!.issue).to.match(issue);
      expect(await snapshotCollection('assets')).to.deep.equal({});
      expect(storedFiles(api.blobDirectory)).to.deep.equal([]);
    });
  }

  it('names the file beside the other offending fields in one 400', async () => {
    const reply = await call(api.url, 'POST', '/api/assets', {
      token: TOKENS.editor,
      body: await form({ layer: 'S', category: 'POP', subcategory: 'BAS' }, { name: 'x.png', type: 'image/png', bytes: () => PLAIN_TEXT }),
    });
    expect(reply.status).to.equal(400);
    expect(reply.body.error!.details.map((detail) => detail.path)).to.deep.equal(['description', 'file']);
    expect(storedFiles(api.blobDirectory)).to.deep.equal([]);
  });

  it("refuses a real file of a type the layer does not take, naming the layer's types", async () => {
    const reply = await call(api.url, 'POST', '/api/assets', {
      token: TOKENS.editor,
      body: await form(starPayload(), { name: 'a.mp3', type: 'audio/mpeg', bytes: () => MP3 }),
    });
    expect(reply.status).to.equal(400);
    expect(reply.body.error!.details).to.deep.equal([
      { path: 'file', issue: 'is audio/mpeg, which is not accepted for layer S (Stars); accepted: image/jpeg, image/png, image/gif' },
    ]);
    expect(storedFiles(api.blobDirectory)).to.deep.equal([]);
  });

  const accepted: Array<[string, Record<string, unknown>, Sample, string, string]> = [
    ['a PNG for a Star', starPayload(), { name: 'me.png', type: 'image/png', bytes: () => pngImage() }, 'image/png', '.png'],
    [
      'a JPEG named .jpeg for a Look',
      { ...starPayload(), layer: 'L', category: 'PRF' },
      { name: 'a.JPEG', type: 'image/jpeg', bytes: () => jpegImage() },
      'image/jpeg',
      '.jpg',
    ],
    ['a GIF declared application/octet-stream', starPayload(), { name: 'a.gif', type: 'application/octet-stream', bytes: gifImage }, 'image/gif', '.gif'],
    [
      'an MP3 declared audio/mp3 for a Song',
      { ...starPayload(), layer: 'G', category: 'POP', subcategory: 'TSW' },
      { name: 's.mp3', type: 'audio/mp3', bytes: () => MP3 },
      'audio/mpeg',
      '.mp3',
    ],
    [
      'a WAV for a Song',
      { ...starPayload(), layer: 'G', category: 'POP', subcategory: 'TSW' },
      { name: 's.wav', type: 'audio/x-wav', bytes: () => WAV },
      'audio/wav',
      '.wav',
    ],
    [
      'an MP4 for a Move',
      { ...starPayload(), layer: 'M', category: 'POP', subcategory: 'BAS' },
      { name: 'm.mp4', type: 'video/mp4', bytes: () => MP4 },
      'video/mp4',
      '.mp4',
    ],
    [
      'JSON for a Move',
      { ...starPayload(), layer: 'M', category: 'POP', subcategory: 'BAS' },
      { name: 'm.json', type: 'application/json', bytes: () => JSON_TEXT },
      'application/json',
      '.json',
    ],
    [
      'a QuickTime file for a World',
      { ...starPayload(), layer: 'W', category: 'CLB', subcategory: 'BAS' },
      { name: 'w.mov', type: 'video/quicktime', bytes: () => QUICKTIME },
      'video/quicktime',
      '.mov',
    ],
    [
      'a glTF binary for a World',
      { ...starPayload(), layer: 'W', category: 'CLB', subcategory: 'BAS' },
      { name: 'w.glb', type: 'model/gltf-binary', bytes: () => GLB },
      'model/gltf-binary',
      '.glb',
    ],
  ];
  for (const [label, fields, sample, contentType, extension] of accepted) {
    it(`stores ${label} as ${contentType}, served with nosniff`, async () => {
      const reply = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, body: await form(fields, sample) });
      expect(reply.status, reply.text).to.equal(201);
      const asset = dataOf<{ name: string; files: Array<{ contentType: string; filename: string; url: string }> }>(reply);
      expect(asset.files[0]).to.include({ contentType, filename: `${asset.name}${extension}` });
      const response = await blobs.fetch(asset.files[0]!.url);
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.equal(contentType);
      expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(await sample.bytes()))).to.equal(true);
    });
  }

  it('stores a PNG with a page after its end as image/png, never as markup', async () => {
    const reply = await call(api.url, 'POST', '/api/assets/upload', {
      token: TOKENS.editor,
      body: await form({}, { name: 'x.html', type: 'image/png', bytes: pngThenHtml }),
    });
    expect(reply.status, reply.text).to.equal(201);
    const result = dataOf<{ url: string; filename: string; mimeType: string }>(reply);
    expect(result.mimeType).to.equal('image/png');
    expect(result.filename).to.match(/\.png$/);
    const response = await blobs.fetch(result.url);
    expect(response.headers.get('content-type')).to.equal('image/png');
    expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
  });

  it('serves what a browser should save (JSON, 3D models) as an attachment', async () => {
    const reply = await call(api.url, 'POST', '/api/assets/upload', {
      token: TOKENS.editor,
      body: await form({}, { name: 'm.json', type: 'application/json', bytes: () => JSON_TEXT }),
    });
    expect(reply.status, reply.text).to.equal(201);
    const response = await blobs.fetch(dataOf<{ url: string }>(reply).url);
    expect(response.headers.get('content-type')).to.equal('application/json');
    expect(response.headers.get('content-disposition')).to.equal('attachment');
    expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
  });
});
