/**
 * Identical listings share one read and one serialization. The web frontend's browse page asks for
 * the same 1,000 assets on every visit; when many people open it at once, each request would read
 * 1,000 documents and build its own copy of the page (about 17 MiB while it is made), which takes a
 * 512 MiB instance down at about twenty. Here the first request for a page reads it and serializes
 * it (single-flight); identical requests arriving while it is made, or shortly after, get the same
 * bytes, compressed once per coding.
 *
 * How fresh a shared page is:
 * - Writes through this instance invalidate every shared page: a request that arrives after a
 *   write of this instance completed never gets a page whose read started before it. A client sees
 *   its own writes made through this instance.
 * - Writes through other instances (and the pipeline, migrations) are not seen here: a request may
 *   get a page whose read started at most `maxAgeMs` before the request arrived, never older.
 *   A client that wrote through another instance sees its write once `maxAgeMs` has passed since
 *   the write completed, or at once when it asks with `Cache-Control: no-cache` (or `Pragma:
 *   no-cache`), which always starts a read of its own (later identical requests may share it).
 * - A failed read is shared only with the requests already waiting for it.
 */

export interface SharedListingsOptions {
  /** The oldest read, counted from its start to a request's arrival, that the request may share. 0 shares nothing. */
  maxAgeMs: number;
  /** At most this many pages are kept; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

export interface ShareRequest {
  /** The normalized query and anything else that changes the bytes (the album-art shape). */
  key: string;
  /** False: this request reads on its own and nobody joins it (a small page, say). */
  shareable: boolean;
  /** The client asked for a fresh answer (`Cache-Control: no-cache`): start a new read, others may join it. */
  fresh: boolean;
}

interface Entry<T> {
  startedAt: number;
  value: Promise<T>;
}

const DEFAULT_MAX_ENTRIES = 32;

export class SharedListings<T> {
  /** In the order their reads started. */
  private readonly entries = new Map<string, Entry<T>>();
  private readonly now: () => number;

  constructor(private readonly options: SharedListingsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A write through this instance completed: no later request shares a read started before now. */
  invalidate(): void {
    this.entries.clear();
  }

  /** The page for a request: a shared one when allowed, else the one `read` makes. */
  async get(request: ShareRequest, read: () => Promise<T>): Promise<{ value: T; shared: boolean }> {
    if (!request.shareable || this.options.maxAgeMs <= 0) return { value: await read(), shared: false };
    const now = this.now();
    this.forgetExpired(now);
    const entry = this.entries.get(request.key);
    if (entry && !request.fresh) return { value: await entry.value, shared: true };
    const started: Entry<T> = { startedAt: now, value: read() };
    this.entries.delete(request.key);
    this.entries.set(request.key, started);
    while (this.entries.size > (this.options.maxEntries ?? DEFAULT_MAX_ENTRIES)) this.entries.delete(this.entries.keys().next().value!);
    started.value.catch(() => {
      // Requests already waiting share the failure; later ones read again.
      if (this.entries.get(request.key) === started) this.entries.delete(request.key);
    });
    return { value: await started.value, shared: false };
  }

  /** Forgets the pages too old to share: the first ones of the map, which is in the order they started. */
  private forgetExpired(now: number): void {
    for (const [key, entry] of this.entries) {
      if (now - entry.startedAt <= this.options.maxAgeMs) break;
      this.entries.delete(key);
    }
  }
}
