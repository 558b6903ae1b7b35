/**
 * The album-art download allow-list's patterns (`ALBUM_ART_ALLOWED_HOSTS`): the downloader fetches
 * only from hosts it names, and responses show a source URL as an image only when its host is one.
 */

/** An IP literal without the brackets a URL puts around IPv6. */
export function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** Exact names, `*.suffix` patterns (subdomains of suffix), or `*` for any host. */
export function hostAllowed(hostname: string, allowedHosts: readonly string[]): boolean {
  const host = bareHost(hostname.toLowerCase()).replace(/\.$/, '');
  return allowedHosts.some((pattern) => {
    if (pattern === '*') return true;
    if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
    return host === bareHost(pattern);
  });
}
