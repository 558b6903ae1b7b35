/** Which address a request counts as (sign-in throttling): Google's last X-Forwarded-For entry, IPv6 by its /64. */
import { expect } from 'chai';
import { clientAddressOf } from '../../functions/http/client-address.js';
import type { ApiRequest } from '../../functions/http/http-types.js';

function request(forwarded: string | undefined, peer = '127.0.0.1'): ApiRequest {
  return { headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded }, socket: { remoteAddress: peer } } as unknown as ApiRequest;
}

describe('the client address of a request', () => {
  it('is the last X-Forwarded-For entry (the one Google’s front end appended), never one the client wrote', () => {
    expect(clientAddressOf(request('6.6.6.6, 203.0.113.7'))).to.equal('203.0.113.7');
    expect(clientAddressOf(request(' 203.0.113.7 '))).to.equal('203.0.113.7');
  });

  it('is the socket’s peer without the header', () => {
    expect(clientAddressOf(request(undefined, '::ffff:127.0.0.1'))).to.equal('127.0.0.1');
  });

  it('counts an IPv6 client by its /64 network', () => {
    expect(clientAddressOf(request('2001:db8:1:2::5'))).to.equal('2001:db8:1:2::/64');
    expect(clientAddressOf(request('2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd'))).to.equal('2001:db8:1:2::/64');
    expect(clientAddressOf(request('2001:db8::1'))).to.equal('2001:db8:0:0::/64');
  });
});
