/**
 * `npm run frontend:proxy`: the TLS reverse proxy the web frontend needs to reach the local stack
 * unchanged (docs/frontend.md). Its code calls https://registry.dev.reviz.dev and
 * https://registry.reviz.dev, and its dev server proxies `/api` to the latter: this serves both
 * names on 127.0.0.1:8443 (FRONTEND_PROXY_PORT) with Caddy's local CA (`tls internal`) in front of
 * the API of the running `npm start` (or PORT, default 8080). It writes the Caddyfile into
 * `.data/frontend-proxy/`, runs Caddy until Ctrl-C, and prints the browser's and the dev server's
 * command lines. Caddy's own output goes to `.data/frontend-proxy/caddy.log`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { portIsFree } from './lib/free-port.js';
import { spawnGroup, stopGroup } from './lib/process-group.js';
import { REGISTRY_HOSTS } from './lib/registry-hosts.js';
import { readStackState, STACK_DATA_DIRECTORY } from './lib/stack-state.js';

const directory = path.join(STACK_DATA_DIRECTORY, 'frontend-proxy');
const caddyfile = path.join(directory, 'Caddyfile');
const logFile = path.join(directory, 'caddy.log');
/** Caddy keeps its local CA and certificates here, not in the user's home. */
const storage = path.join(directory, 'caddy');
const rootCertificate = path.join(storage, 'pki/authorities/local/root.crt');
const preload = path.join(path.dirname(fileURLToPath(import.meta.url)), 'frontend-dev-server-hosts.js');

function fail(line: string): never {
  console.error(line);
  process.exit(1);
}

/** The API's `host:port`: the running stack's, else PORT's. */
function upstream(): string {
  const running = readStackState();
  return running ? new URL(running.apiUrl).host : `127.0.0.1:${process.env['PORT'] ?? 8080}`;
}

function caddyfileFor(options: { port: number; upstream: string; storage: string }): string {
  return `# Written by npm run frontend:proxy; rewritten at every run.
{
	# No admin endpoint, no redirect listener on :80, no attempt to install the CA system-wide (sudo).
	admin off
	auto_https disable_redirects
	skip_install_trust
	storage file_system ${JSON.stringify(options.storage)}
	servers {
		protocols h1 h2
	}
}

${REGISTRY_HOSTS.map((host) => `https://${host}:${options.port}`).join(', ')} {
	bind 127.0.0.1
	tls internal
	# The frontend's dev server proxies its same-origin /api/x here as /x (http-proxy-middleware 3
	# strips the path it is mounted on): put the prefix back. The pages' direct calls keep theirs.
	@stripped not path /api /api/* /admin /admin/*
	rewrite @stripped /api{uri}
	reverse_proxy ${options.upstream}
}
`;
}

async function waitFor(ready: () => boolean | Promise<boolean>, what: string, caddy: { exitCode: number | null }): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await ready())) {
    if (caddy.exitCode !== null) fail(`caddy exited (${caddy.exitCode}) before ${what}; see ${logFile}:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    if (Date.now() > deadline) fail(`caddy did not ${what} within 30 s; see ${logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function main(): Promise<void> {
  const port = Number(process.env['FRONTEND_PROXY_PORT'] ?? 8443);
  const version = spawnSync('caddy', ['version'], { encoding: 'utf8' });
  if (version.error) {
    fail(
      (version.error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'caddy is not installed: sudo apt-get install -y caddy (Debian/Ubuntu; other systems: https://caddyserver.com/docs/install), then npm run frontend:proxy again'
        : `caddy could not be run: ${version.error.message}`,
    );
  }
  if (!(await portIsFree(port))) {
    fail(
      `Port ${port} (FRONTEND_PROXY_PORT) is already in use by another program; stop it or choose another port: FRONTEND_PROXY_PORT=<port> npm run frontend:proxy`,
    );
  }
  const api = upstream();
  mkdirSync(directory, { recursive: true });
  writeFileSync(caddyfile, caddyfileFor({ port, upstream: api, storage }));
  const caddy = spawnGroup('caddy', ['run', '--config', caddyfile, '--adapter', 'caddyfile'], {
    stdio: ['ignore', openSync(logFile, 'w'), openSync(logFile, 'a')],
  });
  let stopping = false;
  const stop = async (code: number): Promise<never> => {
    stopping = true;
    await stopGroup(caddy);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  caddy.once('exit', (code) => {
    if (!stopping) fail(`caddy exited (${code}); see ${logFile}`);
  });
  await waitFor(async () => !(await portIsFree(port)), 'listen', caddy);
  // Caddy makes its local CA on the first start; the dev server's Node must be told to trust it.
  await waitFor(() => existsSync(rootCertificate), 'make its local CA', caddy);
  const frontendPort = 3000;
  const apiPort = Number(api.split(':')[1]);
  const taxonomy = apiPort === 8080 ? '' : `REACT_APP_BACKEND_TAXONOMY_URL=http://localhost:${apiPort} `;
  console.log(`
Frontend proxy is up: ${REGISTRY_HOSTS.map((host) => `https://${host}`).join(' and ')} -> 127.0.0.1:${port} -> the API at http://${api}
  Caddyfile  ${caddyfile}
  Local CA   ${rootCertificate}
  Log        ${logFile}

In your checkout of the frontend (development branch; npm install --legacy-peer-deps once), start its dev server:

  NODE_OPTIONS=--import=${preload} NNA_REGISTRY_PROXY=127.0.0.1:${port} NODE_EXTRA_CA_CERTS=${rootCertificate} ${taxonomy}BROWSER=none npm start

Then open http://localhost:${frontendPort} in a throw-away Chromium profile that sends both names here:

  chromium --user-data-dir="$(mktemp -d)" --host-resolver-rules="${REGISTRY_HOSTS.map((host) => `MAP ${host}:443 127.0.0.1:${port}`).join(', ')}" --ignore-certificate-errors http://localhost:${frontendPort}

Press Ctrl-C to stop the proxy.`);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
