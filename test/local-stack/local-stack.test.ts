import { expect } from 'chai';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from '../../scripts/lib/free-port.js';
import { formOf } from '../support/asset-fixtures.js';
import { startImageServer, type ImageServer } from '../support/image-server.js';
import { networkAddress } from '../support/network-address.js';
import { runToEnd } from '../support/run-to-end.js';
import { MP3, pngImage } from '../support/sample-uploads.js';
import { PROJECT_ROOT, TEST_OUTPUT, TOKENS } from '../support/test-environment.js';

interface RunningStack {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stop: () => Promise<void>;
}

/** `npm start` as a user runs it (the built script), up once it prints its index; stop is Ctrl-C. */
async function startStack(env: Record<string, string>, args: string[] = []): Promise<RunningStack> {
  const child = spawn(process.execPath, ['dist/scripts/local-stack.js', ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('local stack is up')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it was up:\n${stdout}\n${stderr}`)));
  });
  return {
    child,
    stdout: () => stdout,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

function refusesConnections(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** The process groups the stack started (each child leads its own), found by their parent's pid. */
function childGroups(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch (error) {
    // pgrep exits 1 when the process has no children.
    if ((error as { status?: number }).status === 1) return [];
    throw error;
  }
}

function commandOf(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    // ESRCH: the whole group is gone.
    return false;
  }
}

/** The document files of the export the stack would load now, as text (Firestore strings are stored as UTF-8). */
function savedDocuments(dataDirectory: string): string {
  const pointer = path.join(dataDirectory, 'firestore', 'CURRENT');
  if (!existsSync(pointer)) return '';
  const exportDirectory = path.dirname(path.join(dataDirectory, 'firestore', (JSON.parse(readFileSync(pointer, 'utf8')) as { metadata: string }).metadata));
  const outputs = path.join(exportDirectory, 'all_namespaces', 'all_kinds');
  return existsSync(outputs) && statSync(outputs).isDirectory() ? readFileSync(path.join(outputs, 'output-0')).toString('latin1') : '';
}

/** A port and a data directory of the test's own, and the environment that gives them to the stack. */
async function ownStack(directoryPrefix: string) {
  const port = await freePort();
  const dataDirectory = mkdtempSync(path.join(TEST_OUTPUT, directoryPrefix));
  return { port, api: `http://127.0.0.1:${port}/api`, dataDirectory, env: { PORT: String(port), LOCAL_STACK_DATA_DIR: dataDirectory } };
}

/** The crash: the Firestore emulator's whole process group, then the stack, with SIGKILL. */
async function crash(stack: RunningStack): Promise<void> {
  const groups = childGroups(stack.child.pid!);
  const firestore = groups.find((pid) => commandOf(pid).includes('emulators firestore start'));
  expect(firestore, "the Firestore emulator among the stack's children").to.be.a('number');
  process.kill(-firestore!, 'SIGKILL');
  stack.child.kill('SIGKILL');
  await stack.stop();
  // What a killed stack leaves running is stopped by group, as its own exit would have.
  for (const pgid of groups) if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
  while (groups.some(groupAlive)) await new Promise((resolve) => setTimeout(resolve, 100));
}

describe('npm start (the local stack)', () => {
  it('stops at once with one line naming a busy PORT, starting nothing', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      const result = await runToEnd(['dist/scripts/local-stack.js'], { PORT: String(port) });
      expect(result.code).to.equal(1);
      expect(result.stderr.trim()).to.equal(`Port ${port} (PORT) is already in use by another program; stop it or choose another port: PORT=<port> npm start`);
      expect(result.stdout).not.to.match(/emulators/);
    } finally {
      squatter.close();
    }
  });

  it('keeps the writes of a crash (Firestore emulator and stack killed) up to its last save; listens on loopback; serves only published files', async function () {
    this.timeout(300_000);
    const { port, api, dataDirectory, env } = await ownStack('stack-crash-');
    const headers = { Authorization: TOKENS.editor, 'Content-Type': 'application/json' };
    let stack = await startStack(env);
    const created: string[] = [];
    const marker = `written-before-the-crash-${Date.now()}`;
    try {
      const address = networkAddress();
      if (address) expect(await refusesConnections(address, port), `the API must not answer on ${address}`).to.equal(true);

      // Stored files: only what the API publishes (production keeps the rest private).
      const blobBase = new URL(stack.stdout().match(/Stored files\s+(\S+)/)![1]!).origin;
      const bucket = path.join(dataDirectory, 'blobs', 'album-art-bucket', 'album-art', 'originals');
      mkdirSync(bucket, { recursive: true });
      writeFileSync(path.join(bucket, 'a'.repeat(64)), 'a private original');
      mkdirSync(path.join(dataDirectory, 'blobs', 'staging'), { recursive: true });
      writeFileSync(path.join(dataDirectory, 'blobs', 'staging', 'x'), 'a staged upload');
      for (const name of [`album-art-bucket/album-art/originals/${'a'.repeat(64)}`, 'staging/x', '.meta/staging/x.json']) {
        expect((await fetch(`${blobBase}/${name}`)).status, name).to.equal(404);
      }
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(await pngImage())], { type: 'image/png' }), 'a.png');
      const upload = await fetch(`${api}/assets/upload`, { method: 'POST', headers: { Authorization: TOKENS.editor }, body: form });
      expect(upload.status).to.equal(201);
      const served = await fetch(`${blobBase}${new URL(((await upload.json()) as { data: { url: string } }).data.url).pathname}`);
      expect([served.status, served.headers.get('content-type'), served.headers.get('x-content-type-options')]).to.deep.equal([200, 'image/png', 'nosniff']);

      for (let index = 0; index < 5; index++) {
        const reply = await fetch(`${api}/assets`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ layer: 'S', category: 'POP', subcategory: 'BAS', description: `${marker} ${index}` }),
        });
        expect(reply.status).to.equal(201);
        created.push(((await reply.json()) as { data: { id: string } }).data.id);
      }
      // Until a periodic save holds the last write: no clean stop will save it.
      const deadline = Date.now() + 60_000;
      while (!savedDocuments(dataDirectory).includes(`${marker} 4`)) {
        if (Date.now() > deadline) throw new Error('no periodic save of the last write within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 250));
      }

      await crash(stack);
    } finally {
      await stack.stop();
    }

    stack = await startStack(env);
    try {
      expect(stack.stdout()).to.match(/Registry data loaded from the last run/);
      for (const [index, id] of created.entries()) {
        const kept = await fetch(`${api}/assets/${id}`);
        expect(kept.status, `asset ${index}`).to.equal(200);
        expect(((await kept.json()) as { data: { description: string } }).data.description).to.equal(`${marker} ${index}`);
      }
    } finally {
      await stack.stop();
    }
  });

  it('keeps assets, and stored file and album-art URLs that still open, when the whole stack restarts; starts empty with --fresh (with demo assets, or none with --no-demo)', async function () {
    this.timeout(300_000);
    const port = await freePort();
    const api = `http://127.0.0.1:${port}/api`;
    const images: ImageServer = await startImageServer('127.0.0.2');
    const env = {
      PORT: String(port),
      LOCAL_STACK_DATA_DIR: mkdtempSync(path.join(TEST_OUTPUT, 'stack-restart-')),
      // Album art from this test's image server on 127.0.0.2 (README, "A five-minute tour").
      ALBUM_ART_ALLOWED_HOSTS: '127.0.0.2',
      ALBUM_ART_ALLOW_LOOPBACK_SOURCES: '127.0.0.2',
    };
    const image = await pngImage();
    let stack = await startStack(env);
    let assetId: string;
    /** URLs the registry stored before the restart: an upload, an asset's file, its album art's variants. */
    const stored: Array<{ url: string; type: RegExp }> = [];
    try {
      expect(stack.stdout()).to.match(/demo assets seeded/);
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(image)], { type: 'image/png' }), 'kept.png');
      const upload = await fetch(`${api}/assets/upload`, { method: 'POST', headers: { Authorization: TOKENS.editor }, body: form });
      expect(upload.status).to.equal(201);
      stored.push({ url: ((await upload.json()) as { data: { url: string } }).data.url, type: /^image\/png/ });
      const created = await fetch(`${api}/assets`, {
        method: 'POST',
        headers: { Authorization: TOKENS.editor },
        body: formOf(
          { layer: 'G', category: 'POP', subcategory: 'BAS', description: 'kept across restarts', albumArt: `${images.url}/good.jpg` },
          { name: 'song.mp3', type: 'audio/mpeg', bytes: new Uint8Array(MP3) },
        ),
      });
      expect(created.status).to.equal(201);
      const asset = ((await created.json()) as { data: { id: string; gcpStorageUrl?: string; files: Array<{ url: string }> } }).data;
      assetId = asset.id;
      stored.push({ url: asset.files[0]!.url, type: /^audio\/mpeg/ });
      // The frontend's image (the 500 px JPEG once ready) and the rest of the variant set.
      const deadline = Date.now() + 120_000;
      let art: { albumArt?: string; albumArtInfo?: { status?: string; variants?: Record<string, Record<string, { url: string }>> } } = {};
      while (art.albumArtInfo?.status !== 'ready' && art.albumArtInfo?.status !== 'failed' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        art = ((await (await fetch(`${api}/assets/${assetId}`)).json()) as { data: typeof art }).data;
      }
      expect(art.albumArtInfo?.status, JSON.stringify(art)).to.equal('ready');
      stored.push({ url: art.albumArt!, type: /^image\/jpeg/ });
      stored.push({ url: art.albumArtInfo!.variants!['150']!['webp']!.url, type: /^image\/webp/ });
      for (const { url, type } of stored) expect((await fetch(url)).headers.get('content-type'), url).to.match(type);
    } finally {
      await stack.stop();
    }

    stack = await startStack(env);
    try {
      expect(stack.stdout()).to.match(/Registry data loaded from the last run/);
      const kept = await fetch(`${api}/assets/${assetId}`);
      expect(kept.status).to.equal(200);
      expect(((await kept.json()) as { data: { description: string } }).data.description).to.equal('kept across restarts');
      // The URLs as stored before the restart, not rewritten: the file servers are on the same ports.
      for (const { url, type } of stored) {
        const answer = await fetch(url);
        expect(answer.status, url).to.equal(200);
        expect(answer.headers.get('content-type'), url).to.match(type);
      }
      expect(Buffer.from(await (await fetch(stored[0]!.url)).arrayBuffer()).equals(image)).to.equal(true);
    } finally {
      await stack.stop();
    }

    stack = await startStack(env, ['--fresh']);
    try {
      expect(stack.stdout()).to.match(/demo assets seeded/);
      expect((await fetch(`${api}/assets/${assetId}`)).status).to.equal(404);
    } finally {
      await stack.stop();
      await images.close();
    }

    // A cutover rehearsal: empty, so the old backend's names meet no demo asset.
    stack = await startStack(env, ['--fresh', '--no-demo']);
    try {
      expect(stack.stdout()).to.match(/An empty registry/);
      const listing = (await (await fetch(`${api}/assets?limit=5`)).json()) as { data: { total: number } };
      expect(listing.data.total).to.equal(0);
    } finally {
      await stack.stop();
    }
  });

  it('never gives a name out again after a crash lost the writes that had it', async function () {
    this.timeout(300_000);
    const { api, env } = await ownStack('stack-lost-names-');
    const create = async (description: string): Promise<string> => {
      const reply = await fetch(`${api}/assets`, {
        method: 'POST',
        headers: { Authorization: TOKENS.editor, 'Content-Type': 'application/json' },
        body: JSON.stringify({ layer: 'S', category: 'POP', subcategory: 'BAS', description }),
      });
      expect(reply.status).to.equal(201);
      return ((await reply.json()) as { data: { name: string } }).data.name;
    };

    // A first run, stopped cleanly: its two assets are saved.
    let stack = await startStack(env, ['--no-demo']);
    try {
      expect([await create('kept 1'), await create('kept 2')]).to.deep.equal(['S.POP.BAS.001', 'S.POP.BAS.002']);
    } finally {
      await stack.stop();
    }
    // A second run that saves nothing before its crash: what it wrote is lost, by construction.
    stack = await startStack({ ...env, LOCAL_STACK_SAVE_EVERY_MS: '3600000' });
    const lost: string[] = [];
    try {
      for (let index = 0; index < 3; index++) lost.push(await create(`lost ${index}`));
      expect(lost).to.deep.equal(['S.POP.BAS.003', 'S.POP.BAS.004', 'S.POP.BAS.005']);
      await crash(stack);
    } finally {
      await stack.stop();
    }

    stack = await startStack(env);
    try {
      const listing = (await (await fetch(`${api}/assets?layer=S&limit=10`)).json()) as { data: { items: Array<{ name: string }> } };
      expect(listing.data.items.map((item) => item.name).sort(), 'the lost writes are gone').to.deep.equal(['S.POP.BAS.001', 'S.POP.BAS.002']);
      expect(await create('after the crash')).to.equal('S.POP.BAS.006');
      expect(stack.stdout()).to.match(/names it gave out are not given again: S\.POP\.BAS 2 -> 5/);
    } finally {
      await stack.stop();
    }
  });

  it('stops with one line when a kept file-server port is taken, naming the port and --fresh', async function () {
    this.timeout(120_000);
    const port = await freePort();
    const dataDirectory = mkdtempSync(path.join(TEST_OUTPUT, 'stack-ports-'));
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as net.AddressInfo).port;
    writeFileSync(path.join(dataDirectory, 'stack-ports.json'), JSON.stringify({ files: taken, albumArt: taken + 1 }));
    try {
      const result = await runToEnd(['dist/scripts/local-stack.js'], { PORT: String(port), LOCAL_STACK_DATA_DIR: dataDirectory });
      expect(result.code).to.equal(1);
      expect(result.stderr.trim()).to.equal(
        `Port ${taken} (the stored files server, kept in ${path.join(dataDirectory, 'stack-ports.json')} so that stored URLs keep working) is already in use by another program; stop it, or start empty on new ports: npm start -- --fresh`,
      );
      expect(result.stdout).not.to.match(/emulators/);
    } finally {
      squatter.close();
    }
  });
});
