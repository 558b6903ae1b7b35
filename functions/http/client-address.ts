/**
 * The address a request came from, for throttling. On Cloud Functions (Cloud Run) Google's front
 * end appends the address of the client that connected to it to `X-Forwarded-For`, after whatever
 * the client itself put there: only that last entry is Google's word, every earlier one the
 * client's (express's `req.ip`, with functions-framework's `trust proxy`, is the first, which any
 * client can set). Without the header (this machine, tests without it) it is the socket's peer.
 * IPv6 addresses count by their /64 network, which one host is usually given whole, so that a host
 * cannot step around a limit by changing the low bits of its address.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { ApiRequest } from './http-types.js';

/** `2001:db8::1` -> its eight groups, `::ffff:1.2.3.4` -> the IPv4 address. */
function normalized(address: string): string {
  const text = address
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (!isIPv6(text)) return text;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export function clientAddressOf(request: ApiRequest): string | undefined {
  const forwarded = request.headers['x-forwarded-for'];
  const list = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
  const last = list
    ?.split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .at(-1);
  const address = last ?? request.socket?.remoteAddress;
  return address ? normalized(address) : undefined;
}
