/**
 * Downloads a source image without letting the URL choose what this server talks to: http(s) only,
 * hosts on the allow-list, every resolved address checked, the connection made to the address that
 * was checked (no DNS-rebinding window), each redirect checked again (at most 3), and connect, idle
 * and total time limits plus a byte cap enforced while the body streams.
 */
import dns from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import net from 'node:net';
import { AlbumArtJobError } from './job-errors.js';
import { bareHost, hostAllowed } from '../domain/host-patterns.js';
import { refusalOf } from './address-policy.js';

const MAX_REDIRECTS = 3;

export interface DownloadPolicy {
  allowedHosts: readonly string[];
  loopbackSources: 'all' | readonly string[];
  maxBytes: number;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  deadlineMs: number;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has; replaceable so tests can point names anywhere. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

const systemResolver: Resolver = async (hostname) => {
  try {
    const results = await dns.lookup(hostname, { all: true, verbatim: true });
    return results.map((result) => ({ address: result.address, family: result.family === 6 ? 6 : 4 }));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') throw new AlbumArtJobError('HOST_NOT_FOUND', `${hostname} does not resolve`);
    throw new AlbumArtJobError('NETWORK_ERROR', `Resolving ${hostname} failed: ${code ?? (error as Error).message}`);
  }
};

/** Called before each request, with the host it goes to (the per-host rate limit). */
export type BeforeRequest = (hostname: string) => Promise<void>;

export interface Downloaded {
  bytes: Buffer;
  finalUrl: string;
  declaredContentType: string | undefined;
}

/** Checks a URL and picks the address to connect to; throws a permanent refusal otherwise. */
export async function checkTarget(raw: string, policy: DownloadPolicy, resolve: Resolver): Promise<{ url: URL; target: ResolvedAddress }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AlbumArtJobError('INVALID_URL', `${raw.slice(0, 200)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AlbumArtJobError('SCHEME_NOT_ALLOWED', `${url.protocol} URLs are not fetched; only http and https`);
  }
  if (url.username || url.password) throw new AlbumArtJobError('INVALID_URL', 'URLs with credentials are not fetched');
  // WHATWG URL parsing has already turned decimal, octal, hex and short IPv4 spellings into dotted form.
  const host = bareHost(url.hostname);
  if (!hostAllowed(host, policy.allowedHosts)) {
    throw new AlbumArtJobError('HOST_NOT_ALLOWED', `${host} is not on the album-art host allow-list`);
  }
  const version = net.isIP(host);
  const addresses: ResolvedAddress[] = version !== 0 ? [{ address: host, family: version === 6 ? 6 : 4 }] : await resolve(host);
  if (addresses.length === 0) throw new AlbumArtJobError('HOST_NOT_FOUND', `${host} has no address`);
  // Every address must be acceptable: a name that also resolves to a private address is refused.
  for (const { address } of addresses) {
    const refusal = refusalOf(address, policy.loopbackSources);
    if (refusal) throw new AlbumArtJobError('ADDRESS_REFUSED', `${host} refused: ${refusal}`);
  }
  return { url, target: addresses[0]! };
}

/** A lookup that always answers with the address already checked. */
function pinnedLookup(target: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as (error: null, addresses: Array<{ address: string; family: number }>) => void)(null, [target]);
    } else {
      callback(null, target.address, target.family);
    }
  };
}

function networkError(error: NodeJS.ErrnoException, host: string): AlbumArtJobError {
  if (error instanceof AlbumArtJobError) return error;
  return new AlbumArtJobError('NETWORK_ERROR', `Fetching from ${host} failed: ${error.code ?? error.message}`);
}

interface Hop {
  response: IncomingMessage;
  abort: (error: AlbumArtJobError) => void;
  /** Why the hop was aborted (deadline, idle timeout), if it was. */
  reason: () => AlbumArtJobError | undefined;
}

function request(url: URL, target: ResolvedAddress, policy: DownloadPolicy, deadline: AbortSignal): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const hostname = bareHost(url.hostname);
    const outgoing = client.request({
      protocol: url.protocol,
      hostname,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: { Accept: 'image/jpeg, image/png, image/webp', 'User-Agent': 'nna-registry-album-art/1.0' },
      lookup: pinnedLookup(target),
      agent: false,
      ...(url.protocol === 'https:' && net.isIP(hostname) === 0 ? { servername: hostname } : {}),
    });
    let failure: AlbumArtJobError | undefined;
    const abort = (error: AlbumArtJobError): void => {
      failure ??= error;
      outgoing.destroy(failure);
    };
    const onDeadline = (): void => abort(new AlbumArtJobError('DEADLINE_EXCEEDED', `The download did not finish within ${policy.deadlineMs} ms`));
    if (deadline.aborted) onDeadline();
    deadline.addEventListener('abort', onDeadline, { once: true });
    outgoing.on('close', () => deadline.removeEventListener('abort', onDeadline));
    outgoing.setTimeout(policy.idleTimeoutMs, () => abort(new AlbumArtJobError('IDLE_TIMEOUT', `${hostname} sent nothing for ${policy.idleTimeoutMs} ms`)));
    outgoing.on('socket', (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(
        () => abort(new AlbumArtJobError('CONNECT_TIMEOUT', `No connection to ${hostname} within ${policy.connectTimeoutMs} ms`)),
        policy.connectTimeoutMs,
      );
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => reject(failure ?? networkError(error, hostname)));
    outgoing.on('response', (response) => resolve({ response, abort, reason: () => failure }));
    outgoing.end();
  });
}

function readCapped(hop: Hop, maxBytes: number): Promise<Buffer> {
  const { response, abort } = hop;
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    const error = new AlbumArtJobError('TOO_LARGE', `The source declares ${declared} bytes; the limit is ${maxBytes}`);
    abort(error);
    return Promise.reject(error);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const fail = (error: AlbumArtJobError): void => {
      if (settled) return;
      settled = true;
      abort(error);
      reject(error);
    };
    response.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) return fail(new AlbumArtJobError('TOO_LARGE', `The source sent more than the limit of ${maxBytes} bytes`));
      chunks.push(chunk);
    });
    response.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, total));
    });
    const incomplete = (): AlbumArtJobError =>
      hop.reason() ?? new AlbumArtJobError('NETWORK_ERROR', 'The source closed the connection before the body was complete');
    response.on('error', (error: Error) => fail(error instanceof AlbumArtJobError ? error : incomplete()));
    response.on('close', () => {
      if (!response.complete) fail(incomplete());
    });
  });
}

function statusFailure(status: number, url: URL): AlbumArtJobError {
  const where = `${url.host}${url.pathname}`.slice(0, 200);
  if (status === 429) return new AlbumArtJobError('SOURCE_RATE_LIMITED', `${where} answered 429`);
  if (status >= 500) return new AlbumArtJobError('SOURCE_UNAVAILABLE', `${where} answered ${status}`);
  if (status === 404 || status === 410) return new AlbumArtJobError('SOURCE_NOT_FOUND', `${where} answered ${status}`);
  return new AlbumArtJobError('SOURCE_REFUSED', `${where} answered ${status}`);
}

export async function safeDownload(
  source: string,
  policy: DownloadPolicy,
  options: { resolve?: Resolver; beforeRequest?: BeforeRequest } = {},
): Promise<Downloaded> {
  const resolve = options.resolve ?? systemResolver;
  const deadline = AbortSignal.timeout(policy.deadlineMs);
  let current = source;
  for (let redirects = 0; ; redirects++) {
    const { url, target } = await checkTarget(current, policy, resolve);
    await options.beforeRequest?.(bareHost(url.hostname));
    const hop = await request(url, target, policy, deadline);
    const status = hop.response.statusCode ?? 0;
    const location = hop.response.headers.location;
    if ([301, 302, 303, 307, 308].includes(status) && location) {
      hop.response.resume();
      hop.abort(new AlbumArtJobError('NETWORK_ERROR', 'redirect followed'));
      if (redirects >= MAX_REDIRECTS) throw new AlbumArtJobError('TOO_MANY_REDIRECTS', `More than ${MAX_REDIRECTS} redirects`);
      try {
        current = new URL(location, url).toString();
      } catch {
        throw new AlbumArtJobError('INVALID_URL', `${url.host} redirected to an invalid location`);
      }
      continue;
    }
    if (status < 200 || status >= 300) {
      hop.abort(statusFailure(status, url));
      throw statusFailure(status, url);
    }
    const bytes = await readCapped(hop, policy.maxBytes);
    return { bytes, finalUrl: url.toString(), declaredContentType: hop.response.headers['content-type'] };
  }
}
