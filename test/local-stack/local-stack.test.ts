import { expect } from 'chai';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from '../../scripts/lib/free-port.js';
import { PROJECT_ROOT, TEST_OUTPUT, TOKENS } from '../support/test-environment.js';

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

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

describe('npm start (the local stack)', () => {
  it('stops at once with one line naming a busy PORT, starting nothing', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      const result = await run(['dist/scripts/local-stack.js'], { PORT: String(port) });
      expect(result.code).to.equal(1);
      expect(result.stderr.trim()).to.equal(`Port ${port} (PORT) is already in use by another program; stop it or choose another port: PORT=<port> npm start`);
      expect(result.stdout).not.to.match(/emulators/);
    } finally {
      squatter.close();
    }
  });

  it('keeps assets and stored files when the whole stack restarts, and starts empty with --fresh', async function () {
    this.timeout(240_000);
    const port = await freePort();
    const api = `http://127.0.0.1:${port}/api`;
    const env = { PORT: String(port), LOCAL_STACK_DATA_DIR: mkdtempSync(path.join(TEST_OUTPUT, 'stack-restart-')) };
    const headers = { Authorization: TOKENS.editor, 'Content-Type': 'application/json' };
    let stack = await startStack(env);
    let assetId: string;
    let fileUrl: string;
    try {
      expect(stack.stdout()).to.match(/demo assets seeded/);
      const form = new FormData();
      form.append('file', new Blob([Buffer.from('kept bytes')], { type: 'text/plain' }), 'kept.txt');
      const upload = await fetch(`${api}/assets/upload`, { method: 'POST', headers: { Authorization: TOKENS.editor }, body: form });
      expect(upload.status).to.equal(201);
      fileUrl = ((await upload.json()) as { data: { url: string } }).data.url;
      const created = await fetch(`${api}/assets`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ layer: 'S', category: 'POP', subcategory: 'BAS', description: 'kept across restarts' }),
      });
      expect(created.status).to.equal(201);
      assetId = ((await created.json()) as { data: { id: string } }).data.id;
    } finally {
      await stack.stop();
    }

    stack = await startStack(env);
    try {
      expect(stack.stdout()).to.match(/Registry data loaded from the last run/);
      const kept = await fetch(`${api}/assets/${assetId}`);
      expect(kept.status).to.equal(200);
      expect(((await kept.json()) as { data: { description: string } }).data.description).to.equal('kept across restarts');
      // The blob server's port is new each run: the file is read by its path.
      const stored = await fetch(`${new URL(stack.stdout().match(/Stored files\s+(\S+)/)![1]!).origin}${new URL(fileUrl).pathname}`);
      expect(await stored.text()).to.equal('kept bytes');
    } finally {
      await stack.stop();
    }

    stack = await startStack(env, ['--fresh']);
    try {
      expect(stack.stdout()).to.match(/demo assets seeded/);
      expect((await fetch(`${api}/assets/${assetId}`)).status).to.equal(404);
    } finally {
      await stack.stop();
    }
  });
});
