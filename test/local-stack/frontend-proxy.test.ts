/**
 * `npm run frontend:proxy` (docs/frontend.md): Caddy serving the frontend's two backend names with
 * its local CA in front of an API, the /api prefix the frontend's dev server strips put back, the
 * dev server's own calls redirected by the preload it is started with, one line when Caddy is
 * missing or the port is taken, and a clean stop on Ctrl-C. Needs Debian's `caddy` (.ci/run).
 */
import { expect } from 'chai';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { freePort, portIsFree } from '../../scripts/lib/free-port.js';
import { useApi } from '../support/api-server.js';
import { runToEnd } from '../support/run-to-end.js';
import { PROJECT_ROOT, TEST_OUTPUT } from '../support/test-environment.js';

const SCRIPT = 'dist/scripts/frontend-proxy.js';

/** A GET over TLS to the proxy's port, naming the host for SNI and the certificate check. */
function httpsGet(port: number, host: string, pathname: string, ca: string): Promise<{ status: number; body: string; server: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = https.get({ host: '127.0.0.1', port, servername: host, path: pathname, headers: { Host: host }, ca, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, server: String(response.headers['server']) }));
    });
    request.on('error', reject);
  });
}

describe('npm run frontend:proxy', function () {
  this.timeout(120_000);
  const api = useApi();

  it('says in one line that caddy is missing and how to install it', async () => {
    const result = await runToEnd([SCRIPT], { PATH: '/nonexistent', LOCAL_STACK_DATA_DIR: mkdtempSync(path.join(TEST_OUTPUT, 'frontend-proxy-')) });
    expect(result.code).to.equal(1);
    expect(result.stderr.trim()).to.equal(
      'caddy is not installed: sudo apt-get install -y caddy (Debian/Ubuntu; other systems: https://caddyserver.com/docs/install), then npm run frontend:proxy again',
    );
  });

  it('says in one line that its port is taken', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      const result = await runToEnd([SCRIPT], {
        FRONTEND_PROXY_PORT: String(port),
        LOCAL_STACK_DATA_DIR: mkdtempSync(path.join(TEST_OUTPUT, 'frontend-proxy-')),
      });
      expect(result.code).to.equal(1);
      expect(result.stderr.trim()).to.equal(
        `Port ${port} (FRONTEND_PROXY_PORT) is already in use by another program; stop it or choose another port: FRONTEND_PROXY_PORT=<port> npm run frontend:proxy`,
      );
    } finally {
      squatter.close();
    }
  });

  it("serves both names in front of the API, restores the dev server's stripped /api, redirects the dev server's calls, and stops on Ctrl-C", async () => {
    const port = await freePort();
    const dataDirectory = mkdtempSync(path.join(TEST_OUTPUT, 'frontend-proxy-'));
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [SCRIPT], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PORT: String(api.port), FRONTEND_PROXY_PORT: String(port), LOCAL_STACK_DATA_DIR: dataDirectory },
    });
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('Press Ctrl-C')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`frontend:proxy exited (${code}) before it was up: ${stdout}`)));
      });
      const caddyfile = readFileSync(path.join(dataDirectory, 'frontend-proxy/Caddyfile'), 'utf8');
      expect(caddyfile).to.include(`https://registry.reviz.dev:${port}, https://registry.dev.reviz.dev:${port}`);
      expect(caddyfile).to.include(`reverse_proxy 127.0.0.1:${api.port}`);
      const caFile = path.join(dataDirectory, 'frontend-proxy/caddy/pki/authorities/local/root.crt');
      const ca = readFileSync(caFile, 'utf8');
      for (const host of ['registry.reviz.dev', 'registry.dev.reviz.dev']) {
        // The pages' direct calls, and the dev server's proxy, which sends /api/health as /health.
        for (const pathname of ['/api/health', '/health']) {
          const answer = await httpsGet(port, host, pathname, ca);
          expect(answer.status, `${host}${pathname}`).to.equal(200);
          expect(answer.server).to.equal('Caddy');
          expect(JSON.parse(answer.body)).to.deep.include({ status: 'healthy' });
        }
      }
      // The frontend's dev server, started with the printed line, reaches the API for https://registry.reviz.dev.
      const devServerLine = /NODE_OPTIONS=(\S+) NNA_REGISTRY_PROXY=(\S+) NODE_EXTRA_CA_CERTS=(\S+)/.exec(stdout)!;
      expect(devServerLine, stdout).to.not.equal(null);
      const devServer = await runNode(
        "require('https').get('https://registry.reviz.dev/api/assets?limit=1', (r) => { let b = ''; r.on('data', (c) => (b += c)); r.on('end', () => console.log(r.statusCode, b)); });",
        {
          NODE_OPTIONS: devServerLine[1]!,
          NNA_REGISTRY_PROXY: devServerLine[2]!,
          NODE_EXTRA_CA_CERTS: devServerLine[3]!,
        },
      );
      expect(devServer).to.match(/^200 \{"success":true,"data":\{"items":/);
      expect(stdout).to.include(`--host-resolver-rules="MAP registry.reviz.dev:443 127.0.0.1:${port}, MAP registry.dev.reviz.dev:443 127.0.0.1:${port}"`);
    } finally {
      if (child.exitCode === null) child.kill('SIGINT');
    }
    expect(await exited).to.equal(0);
    expect(await portIsFree(port)).to.equal(true);
  });
});

/** A Node process as the frontend's dev server runs (with NODE_OPTIONS), printing what the script prints. */
function runNode(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve(output.trim()));
  });
}
