/**
 * Runs one function under the real functions-framework server, as Cloud Functions does, in its own
 * process group on a free port of 127.0.0.1 (or of the host it is given: listen-host.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { openSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { spawnGroup, stopGroup } from './process-group.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface FunctionServer {
  target: string;
  url: string;
  port: number;
  logPath: string;
  child: ChildProcess;
  /** The status of the first answered request. */
  firstStatus: number;
  stop(): Promise<void>;
}

export interface FunctionServerOptions {
  target: string;
  signatureType: 'http' | 'cloudevent';
  env: Record<string, string>;
  port?: number;
  logDirectory: string;
  /** Where the server's output goes: a log file (default) or this process's own output. */
  inheritOutput?: boolean;
  /** The package directory holding the function (default: this project). */
  source?: string;
  /** The request that proves the server answers (default: OPTIONS /, any answer counts). */
  firstRequest?: { method: 'GET' | 'OPTIONS'; path: string };
  /** How often that request is tried until it is answered (default 100 ms). */
  pollMs?: number;
  /** The address it listens on (default 127.0.0.1; `0.0.0.0` for every interface). */
  host?: string;
}

/** Where this machine reaches a server listening on `host`. */
function reachableAt(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startFunctionServer(options: FunctionServerOptions): Promise<FunctionServer> {
  const port = options.port ?? (await freePort());
  mkdirSync(options.logDirectory, { recursive: true });
  const logPath = path.join(options.logDirectory, `${options.target}-${port}.log`);
  const log = openSync(logPath, 'w');
  const frameworkMain = path.join(projectRoot, 'node_modules/@google-cloud/functions-framework/build/src/main.js');
  const host = options.host ?? '127.0.0.1';
  const child = spawnGroup(
    process.execPath,
    [
      `--import=${new URL('./listen-host.js', import.meta.url).href}`,
      frameworkMain,
      `--target=${options.target}`,
      `--signature-type=${options.signatureType}`,
      `--port=${port}`,
      `--source=${options.source ?? projectRoot}`,
    ],
    {
      cwd: projectRoot,
      env: { ...process.env, ...options.env, PORT: String(port), LISTEN_HOST: host },
      stdio: options.inheritOutput ? ['ignore', 'inherit', 'inherit'] : ['ignore', log, log],
    },
  );
  const url = `http://${reachableAt(host)}:${port}`;
  const deadline = Date.now() + 30_000;
  const first = options.firstRequest ?? { method: 'OPTIONS', path: '/' };
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const answer = await fetch(`${url}${first.path}`, { method: first.method });
      await answer.arrayBuffer();
      return { target: options.target, url, port, logPath, child, firstStatus: answer.status, stop: () => stopGroup(child) };
    } catch {
      // Not listening yet: try again shortly.
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
    }
  }
  await stopGroup(child);
  throw new Error(`functions-framework (${options.target}) did not start on ${url}. Its output:\n${readFileSync(logPath, 'utf8').slice(-3000)}`);
}
