/**
 * On this machine the API takes unsigned tokens (`dev:` tokens, the Auth emulator's), so whoever can
 * reach it could act as an admin: its process listens on 127.0.0.1 unless told otherwise, and even on
 * every interface it takes those tokens only from callers on this machine unless DEV_TOKENS_FROM_NETWORK
 * says so. The network side is reached through this machine's own non-loopback address.
 */
import { expect } from 'chai';
import { startTestFunction, type ApiProcess } from '../support/api-server.js';
import { call } from '../support/http-client.js';
import { networkAddress } from '../support/network-address.js';
import { TOKENS } from '../support/test-environment.js';

async function connects(url: string): Promise<boolean> {
  try {
    await (await fetch(url)).arrayBuffer();
    return true;
  } catch (error) {
    // The one expected failure: nothing listens on that address.
    if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') return false;
    throw error;
  }
}

describe('the API and callers on the network', function () {
  this.timeout(90_000);
  const address = networkAddress();
  const servers: ApiProcess[] = [];
  before(function () {
    // Without a second address there is no "network side" to call from.
    if (!address) this.skip();
  });
  after(async () => Promise.all(servers.map((server) => server.stop())));

  async function start(env: Record<string, string>, host?: string): Promise<ApiProcess> {
    const server = await startTestFunction('api', 'http', env, host);
    servers.push(server);
    return server;
  }

  it('listens on 127.0.0.1 only unless told otherwise', async () => {
    const api = await start({});
    expect(await connects(`http://127.0.0.1:${api.port}/api/health`)).to.equal(true);
    expect(await connects(`http://${address}:${api.port}/api/health`)).to.equal(false);
  });

  it('on every interface, takes dev tokens only from this machine: 401 from the network, reads anonymous', async () => {
    const api = await start({}, '0.0.0.0');
    const fromNetwork = await call(`http://${address}:${api.port}`, 'GET', '/api/admin/flags', { token: TOKENS.admin });
    expect(fromNetwork.status).to.equal(401);
    expect(fromNetwork.body.error!.message).to.match(/only from this machine.*DEV_TOKENS_FROM_NETWORK=true/);
    const write = await call(`http://${address}:${api.port}`, 'POST', '/api/assets', {
      token: TOKENS.editor,
      json: { layer: 'S', category: 'POP', subcategory: 'BAS', description: 'from the network' },
    });
    expect(write.status).to.equal(401);
    expect((await call(`http://${address}:${api.port}`, 'GET', '/api/assets?limit=1', { token: TOKENS.admin })).status).to.equal(200);
    expect((await call(`http://127.0.0.1:${api.port}`, 'GET', '/api/admin/flags', { token: TOKENS.admin })).status).to.equal(200);
  });

  it('takes them from the network when DEV_TOKENS_FROM_NETWORK=true', async () => {
    const api = await start({ DEV_TOKENS_FROM_NETWORK: 'true' }, '0.0.0.0');
    expect((await call(`http://${address}:${api.port}`, 'GET', '/api/admin/flags', { token: TOKENS.admin })).status).to.equal(200);
  });
});
