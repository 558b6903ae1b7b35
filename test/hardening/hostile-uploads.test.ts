/**
 * Seeded generated uploads against both routes that take a file (`POST /api/assets/upload`, and
 * `POST /api/assets` with a random layer). Whatever comes, nothing answers 5xx; empty files, markup,
 * mislabelled files and pages with an image after them are refused with a 400 naming `file`; and
 * whatever is stored is of a type its layer takes, is what its bytes are, is never markup, and is
 * served with `nosniff`. `UPLOAD_RUNS` (default 500, 5,000 in `npm run test:hard`), `FUZZ_SEED`.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { canonicalMediaType, LAYER_MEDIA_TYPES, ANY_LAYER_MEDIA_TYPES } from '../../functions/domain/upload-policy.js';
import { useApi } from '../support/api-server.js';
import { useBlobServer } from '../support/blob-server.js';
import { TOKENS } from '../support/test-environment.js';
import { ALWAYS_REFUSED, genuineFiles, hostileUpload, multipartOf, type UploadCase } from './upload-arbitraries.js';

const RUNS = Number(process.env['UPLOAD_RUNS'] ?? (process.env['HARD'] ? 5000 : 500));
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261202);
const BOUNDARY = '----hostile-upload';
/** A subcategory every layer has, so the taxonomy never stands between the file and its check. */
const PLACES: Record<string, [string, string]> = {
  G: ['POP', 'BAS'],
  S: ['POP', 'BAS'],
  L: ['PRF', 'BAS'],
  M: ['POP', 'BAS'],
  W: ['CLB', 'BAS'],
  B: ['L', 'GUC'],
  P: ['S', 'FAC'],
  T: ['SNG', 'BAS'],
  C: ['RMX', 'POP'],
  R: ['REG', 'GLB'],
};

interface Reply {
  status: number;
  body: { success: boolean; data?: Record<string, unknown>; error?: { details: Array<{ path: string; issue: string }> } };
}

function stagedFiles(directory: string): string[] {
  const staging = path.join(directory, 'staging');
  return existsSync(staging) ? readdirSync(staging) : [];
}

describe('hostile uploads (generated)', function () {
  this.timeout(RUNS * 300 + 60_000);
  const api = useApi();
  const blobs = useBlobServer(api);

  async function send(upload: UploadCase): Promise<Reply> {
    const fields: Record<string, string> = {};
    if (upload.layer) {
      const [category, subcategory] = PLACES[upload.layer]!;
      Object.assign(fields, { layer: upload.layer, category, subcategory, description: 'generated upload' });
    }
    const response = await fetch(`${api.url}/api/assets${upload.layer ? '' : '/upload'}`, {
      method: 'POST',
      headers: { Authorization: TOKENS.editor, 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
      body: new Uint8Array(multipartOf(upload, fields, BOUNDARY)),
    });
    return { status: response.status, body: (await response.json()) as Reply['body'] };
  }

  /** The stored file's type and URL, from either route's answer. */
  function storedOf(upload: UploadCase, reply: Reply): { contentType: string; url: string } {
    if (!upload.layer) return { contentType: String(reply.body.data!['mimeType']), url: String(reply.body.data!['url']) };
    const [file] = reply.body.data!['files'] as Array<{ contentType: string; url: string }>;
    return file!;
  }

  it(`stores only what its layer takes, as what its bytes are, over ${RUNS} generated uploads (seed ${SEED})`, async () => {
    const { fileTypeFromBuffer } = await import('file-type');
    const files = await genuineFiles();
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(hostileUpload(files), async (upload) => {
        const reply = await send(upload);
        const label = `${upload.kind} declared ${JSON.stringify(upload.declared)} for ${upload.layer ?? 'upload'}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`;
        seen.set(`${upload.kind} ${reply.status}`, (seen.get(`${upload.kind} ${reply.status}`) ?? 0) + 1);
        expect(reply.status, label).to.be.oneOf([201, 400]);
        expect(stagedFiles(api.blobDirectory), `${label}: a staged file was left behind`).to.deep.equal([]);
        if (reply.status === 400) {
          if (ALWAYS_REFUSED.includes(upload.kind))
            expect(
              reply.body.error!.details.map((detail) => detail.path),
              label,
            ).to.include('file');
          return;
        }
        expect(ALWAYS_REFUSED, `${label}: must have been refused`).not.to.include(upload.kind);
        const stored = storedOf(upload, reply);
        const accepted = upload.layer ? LAYER_MEDIA_TYPES[upload.layer]! : ANY_LAYER_MEDIA_TYPES;
        expect(accepted, label).to.include(stored.contentType);
        const response = await blobs.fetch(stored.url);
        const bytes = Buffer.from(await response.arrayBuffer());
        expect(bytes.equals(upload.bytes), label).to.equal(true);
        expect(response.headers.get('content-type'), label).to.equal(stored.contentType);
        expect(response.headers.get('x-content-type-options'), label).to.equal('nosniff');
        const recognised = await fileTypeFromBuffer(bytes);
        if (recognised) expect(canonicalMediaType(recognised.mime), label).to.equal(stored.contentType);
        else expect(['application/json', 'application/octet-stream'], label).to.include(stored.contentType);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    if (process.env['UPLOAD_OUTCOMES']) console.log(Object.fromEntries([...seen].sort()));
    // The generator reaches both outcomes for the kinds that may go either way.
    expect([...seen.keys()].filter((key) => key.endsWith(' 201')).length, JSON.stringify([...seen])).to.be.greaterThan(1);
  });
});
