/**
 * Loaded into the web frontend's dev server (`NODE_OPTIONS=--import=<this file>`, as `npm run
 * frontend:proxy` prints): TLS connections that process opens to the registry's host names on
 * port 443 go to the local proxy named by NNA_REGISTRY_PROXY (`host:port`) instead, keeping the
 * name for SNI and certificate checks. The dev server proxies the pages' same-origin `/api` to
 * https://registry.reviz.dev; with this it reaches the local stack. Only that process is affected
 * (no hosts file, no privileged port) and the frontend's code is untouched. Trust comes from
 * NODE_EXTRA_CA_CERTS, the proxy's local CA.
 */
import tls from 'node:tls';
import { REGISTRY_HOSTS } from './lib/registry-hosts.js';

const proxy = process.env['NNA_REGISTRY_PROXY'];

function isRegistryConnection(options: unknown): options is tls.ConnectionOptions {
  if (options === null || typeof options !== 'object') return false;
  const { host, servername, port } = options as tls.ConnectionOptions;
  const name = servername ?? host;
  return typeof name === 'string' && REGISTRY_HOSTS.includes(name) && Number(port ?? 443) === 443;
}

if (proxy) {
  const match = /^([^:]+):(\d+)$/.exec(proxy);
  if (!match) throw new Error(`NNA_REGISTRY_PROXY must be host:port (npm run frontend:proxy prints it), not ${proxy}`);
  const [, proxyHost, proxyPort] = match;
  const connect = tls.connect.bind(tls) as (...args: unknown[]) => tls.TLSSocket;
  // Node's https agent calls tls.connect(options) through the module object, so replacing it here reaches every request.
  const redirected = (...args: unknown[]): tls.TLSSocket => {
    const [options, ...rest] = args;
    if (!isRegistryConnection(options)) return connect(...args);
    const name = options.servername ?? options.host!;
    return connect({ ...options, host: proxyHost, port: Number(proxyPort), servername: name }, ...rest);
  };
  Object.assign(tls, { connect: redirected });
}
