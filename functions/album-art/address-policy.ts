/**
 * Which hosts and addresses the downloader may reach. Every private, loopback, link-local (cloud
 * metadata included), CGNAT, multicast, reserved, unspecified and IPv4-mapped address is refused;
 * only loopback addresses named by the local/test switch are let through.
 */
import net from 'node:net';

// One list per family: a BlockList also tests IPv4 addresses against IPv6 rules in their mapped
// form, so the ::ffff:0:0/96 rule would otherwise refuse every IPv4 address.
const blockedV4 = new net.BlockList();
const blockedV6 = new net.BlockList();
const IPV4_RANGES: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 included (imgproxy's CVE-2025-24354)
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, 169.254.169.254 metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast included
];
const IPV6_RANGES: Array<[string, number]> = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // IPv4-compatible (deprecated)
  ['::ffff:0:0', 96], // IPv4-mapped
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local
  ['ff00::', 8], // multicast
];
for (const [address, prefix] of IPV4_RANGES) blockedV4.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of IPV6_RANGES) blockedV6.addSubnet(address, prefix, 'ipv6');

const loopbackV4 = new net.BlockList();
loopbackV4.addSubnet('127.0.0.0', 8, 'ipv4');
const loopbackV6 = new net.BlockList();
loopbackV6.addAddress('::1', 'ipv6');

function familyOf(address: string): 'ipv4' | 'ipv6' | undefined {
  const version = net.isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}

function sameAddress(a: string, b: string): boolean {
  const family = familyOf(a);
  if (!family || family !== familyOf(b)) return false;
  const list = new net.BlockList();
  list.addAddress(b, family);
  return list.check(a, family);
}

/** Why an address may not be fetched, or undefined when it may. */
export function refusalOf(address: string, loopbackSources: 'all' | readonly string[]): string | undefined {
  const family = familyOf(address);
  if (!family) return `${address} is not an IP address`;
  if ((family === 'ipv4' ? loopbackV4 : loopbackV6).check(address, family)) {
    const allowed = loopbackSources === 'all' || loopbackSources.some((source) => sameAddress(address, source));
    return allowed ? undefined : `${address} is a loopback address`;
  }
  if ((family === 'ipv4' ? blockedV4 : blockedV6).check(address, family)) return `${address} is a private, link-local, reserved or mapped address`;
  return undefined;
}
