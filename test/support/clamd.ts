/**
 * A clamd of the tests' own: foreground, on a free loopback port, with a signature database the
 * test writes (the EICAR test string as a body signature), because the signature download cannot
 * reach the internet here. Stopped as a process group.
 */
import { mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from '../../scripts/lib/free-port.js';
import { spawnGroup, stopGroup } from '../../scripts/lib/process-group.js';
import { TEST_OUTPUT } from './test-environment.js';

/** The EICAR anti-virus test file: harmless, and detected by every scanner by design. */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

export interface Clamd {
  address: string;
  socketPath: string;
  stop(): Promise<void>;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(reply.startsWith('PONG')));
    socket.on('data', (chunk) => (reply += chunk.toString()));
    socket.on('connect', () => socket.end('zPING\0'));
  });
}

export async function startClamd(): Promise<Clamd> {
  mkdirSync(TEST_OUTPUT, { recursive: true });
  const directory = mkdtempSync(path.join(TEST_OUTPUT, 'clamd-'));
  const database = path.join(directory, 'db');
  mkdirSync(database);
  writeFileSync(path.join(database, 'nna-test.ndb'), `NNA.Test.EICAR:0:*:${Buffer.from(EICAR).toString('hex')}\n`);
  const port = await freePort();
  const config = path.join(directory, 'clamd.conf');
  const socketPath = path.join(directory, 'clamd.sock');
  writeFileSync(
    config,
    [
      `Foreground yes`,
      `DatabaseDirectory ${database}`,
      `TCPSocket ${port}`,
      `TCPAddr 127.0.0.1`,
      `LocalSocket ${socketPath}`,
      `LogFile ${directory}/clamd.log`,
    ].join('\n'),
  );
  const log = openSync(path.join(directory, 'output.log'), 'w');
  const child = spawnGroup('clamd', ['-c', config], { stdio: ['ignore', log, log] });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await ping(port)) return { address: `tcp://127.0.0.1:${port}`, socketPath, stop: () => stopGroup(child) };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stopGroup(child);
  throw new Error(
    `clamd did not start (install: apt-get install -y clamav clamav-daemon). Its output:\n${readFileSync(path.join(directory, 'output.log'), 'utf8').slice(-2000)}`,
  );
}
