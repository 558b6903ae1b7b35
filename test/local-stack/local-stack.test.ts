import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Firestore } from '@google-cloud/firestore';
import { startFirestoreEmulator } from '../../scripts/lib/emulators.js';
import { savedFirestoreExport, saveFirestore } from '../../scripts/lib/firestore-persistence.js';
import { PROJECT_ROOT, TEST_OUTPUT } from '../support/test-environment.js';

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

describe('npm start (the local stack)', () => {
  it('stops at once with one line naming a busy PORT, starting nothing', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      const result = await run(['dist/scripts/local-stack.js'], { PORT: String(port) });
      expect(result.code).to.equal(1);
      expect(result.stderr.trim()).to.equal(
        `Port ${port} (PORT) is already in use by another program; stop it or choose another port: PORT=<port> npm start`,
      );
      expect(result.stdout).not.to.match(/emulators/);
    } finally {
      squatter.close();
    }
  });

  it('keeps Firestore data across an emulator restart (saved at stop, imported at start)', async function () {
    this.timeout(180_000);
    const directory = path.join(mkdtempSync(path.join(TEST_OUTPUT, 'stack-data-')), 'firestore');
    const projectId = 'nna-persistence';
    const first = await startFirestoreEmulator(path.join(TEST_OUTPUT, 'emulators'));
    try {
      const client = new Firestore({ projectId, host: first.host, ssl: false });
      await client.doc('assets/kept').set({ name: 'S.POP.BAS.001' });
      await client.terminate();
      expect(savedFirestoreExport(directory)).to.equal(undefined);
      await saveFirestore(first.host, projectId, directory);
    } finally {
      await first.stop();
    }
    const saved = savedFirestoreExport(directory);
    expect(saved).to.be.a('string');
    const second = await startFirestoreEmulator(path.join(TEST_OUTPUT, 'emulators'), undefined, 90_000, { firestoreImport: saved! });
    try {
      const client = new Firestore({ projectId, host: second.host, ssl: false });
      expect((await client.doc('assets/kept').get()).data()).to.deep.equal({ name: 'S.POP.BAS.001' });
      await client.terminate();
    } finally {
      await second.stop();
    }
  });
});
