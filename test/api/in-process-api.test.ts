/**
 * useApi() serves the API from the test process through functions-framework's testing entry: no
 * process is spawned, the listening socket is this process's, and two instances with different
 * settings answer differently side by side. `{ process: true }` still gives a separate process.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { startApiInProcess, useApi } from '../support/api-server.js';
import { starPayload } from '../support/asset-fixtures.js';
import { call } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';

/** The socket inodes listening on this TCP port, from the kernel's tables (Linux). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const localPort = Number.parseInt(fields[1]?.split(':')[1] ?? '', 16);
      // State 0A is LISTEN; field 9 is the socket's inode.
      if (localPort === port && fields[3] === '0A') inodes.add(fields[9]!);
    }
  }
  return inodes;
}

/** True when one of this process's open file descriptors is the socket listening on `port`. */
function listensInThisProcess(port: number): boolean {
  const inodes = listeningInodes(port);
  return readdirSync('/proc/self/fd').some((fd) => {
    try {
      return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1] ?? '');
    } catch {
      // The descriptor closed between the listing and the read (readdir's own, say): not the socket.
      return false;
    }
  });
}

/** This process's children, from /proc (Linux). */
function childProcesses(): Set<string> {
  const children = new Set<string>();
  for (const task of readdirSync('/proc/self/task')) {
    for (const pid of readFileSync(`/proc/self/task/${task}/children`, 'utf8').split(/\s+/).filter(Boolean)) children.add(pid);
  }
  return children;
}

describe('useApi: the API in the test process', function () {
  describe('by default', () => {
    let childrenBefore: Set<string>;
    before(() => {
      childrenBefore = childProcesses();
    });
    const small = useApi({ MAX_REQUEST_BYTES: String(64 * 1024) });
    const standard = useApi();

    it('spawns no process and listens on a socket of this process', async () => {
      expect((await call(standard.url, 'GET', '/api/health')).status).to.equal(200);
      const spawned = [...childProcesses()].filter((pid) => !childrenBefore.has(pid));
      expect(spawned, 'child processes started by useApi').to.deep.equal([]);
      expect(listensInThisProcess(small.port), 'the small-limit API').to.equal(true);
      expect(listensInThisProcess(standard.port), 'the standard API').to.equal(true);
      expect(small.running()).to.equal(true);
    });

    it('keeps two instances with different settings apart in one process', async () => {
      const body = starPayload({ description: 'x'.repeat(70 * 1024) });
      const refused = await call(small.url, 'POST', '/api/assets', { token: TOKENS.editor, json: body });
      expect(refused.status, refused.text).to.equal(413);
      expect(refused.body.error!.message).to.equal('The request body exceeds the limit of 65536 bytes (64 KiB) for this route');
      const read = await call(standard.url, 'POST', '/api/assets', { token: TOKENS.editor, json: body });
      expect(read.status, 'the standard limit (30 MiB) reads the body and validates it').to.not.equal(413);
    });
  });

  it('refuses an emulator host other than the test process’s, naming the option that gives a process', async () => {
    const refusal = await startApiInProcess({ FIRESTORE_EMULATOR_HOST: '127.0.0.1:1' }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(refusal?.message).to.match(/FIRESTORE_EMULATOR_HOST=127\.0\.0\.1:1 .*\{ process: true \}/);
  });

  describe('with { process: true }', () => {
    const separate = useApi({}, { process: true });

    it('runs the API in a child process, not in this one', async () => {
      expect((await call(separate.url, 'GET', '/api/health')).status).to.equal(200);
      expect(childProcesses().has(String(separate.child.pid))).to.equal(true);
      expect(listensInThisProcess(separate.port)).to.equal(false);
    });
  });
});
