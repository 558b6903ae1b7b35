/**
 * The old backend's REST API as a source: `GET <base>/assets?page=&limit=` page by page, answered
 * `{ success, data: { items, total, page, limit } }`, with a bearer token given or obtained by
 * signing in at `POST <base>/auth/login {email, password}` (`data.token`). `open` signs in and reads
 * the first page, so a wrong token or an unreachable backend stops the run before it writes. Items
 * are the JSON the backend served; they pass through the same Extended JSON decoding as an export.
 *
 * A backend that misbehaves cannot hold the run: every answer is read up to a size bound (a page
 * over it stops the run, not the heap), redirects are followed only within the source's origin
 * (the credentials go nowhere else), and paging stops, reported, on an empty page while `total`
 * says more, on a page that repeats the one before, and past more items than `total`.
 */
import type { LegacyAssetSource, SourceRecord } from '../ports.js';
import { LegacySourceError } from '../source-error.js';
import { decodeExtendedJsonValue, recordAt } from './extended-json.js';

export interface LegacyApiOptions {
  /** The API's base, e.g. `https://registry.reviz.dev/api`. */
  baseUrl: string;
  token?: string | undefined;
  email?: string | undefined;
  password?: string | undefined;
  pageSize: number;
  /** Waits between attempts at a page after the first that failed (a 5xx, no answer). */
  retryDelaysMs?: number[];
  timeoutMs?: number;
  /** The largest answer read, in bytes; DEFAULT_MAX_PAGE_BYTES otherwise. */
  maxPageBytes?: number;
}

interface Page {
  items: unknown[];
  total: number | undefined;
  limit: number;
  /** False when the answer held bytes that are not UTF-8. */
  utf8: boolean;
}

const DEFAULT_RETRY_DELAYS_MS = [1_000, 4_000, 15_000];
/** A page of 100 of the old backend's assets is a few hundred KB; the importer's heap is 128 MB. */
const DEFAULT_MAX_PAGE_BYTES = 8 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const REPLACEMENT_CHARACTER = '\uFFFD';

/** An answer's text, and whether its bytes were all UTF-8 (when not, the items holding U+FFFD are refused). */
interface AnswerText {
  text: string;
  utf8: boolean;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export class LegacyApiSource implements LegacyAssetSource {
  readonly label: string;
  private readonly base: URL;
  private token: string | undefined;
  private first: Page | undefined;
  private itemsRead = 0;

  constructor(private readonly options: LegacyApiOptions) {
    let base: URL;
    try {
      base = new URL(options.baseUrl.replace(/\/+$/, ''));
    } catch (error) {
      if (error instanceof TypeError) throw new LegacySourceError(`${options.baseUrl} is not a URL`);
      throw error;
    }
    // A bearer token or a password must not cross the network in clear text.
    if (base.protocol !== 'https:' && !(base.protocol === 'http:' && isLoopback(base.hostname))) {
      throw new LegacySourceError(`${options.baseUrl}: use https (plain http is accepted on loopback addresses only)`);
    }
    this.base = base;
    this.label = base.toString();
    this.token = options.token?.replace(/^Bearer\s+/i, '');
  }

  private url(suffix: string): string {
    return `${this.base.toString().replace(/\/+$/, '')}/${suffix}`;
  }

  /** The answer's body, up to `maxPageBytes`: past it the answer is cancelled unread. */
  private async bodyOf(url: string, response: Response): Promise<AnswerText> {
    const limit = this.options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body?.getReader();
    for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader!.read()) {
      size += chunk.value.byteLength;
      if (size > limit) {
        await reader!.cancel();
        throw new LegacySourceError(`${url} answered more than ${limit} bytes: not read (a smaller --page-size reads less at a time)`);
      }
      chunks.push(chunk.value);
    }
    const bytes = Buffer.concat(chunks, size);
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), utf8: true };
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      return { text: bytes.toString('utf8'), utf8: false };
    }
  }

  /** fetch without following redirects off the source's origin: the bearer token and the password go to the source only. */
  private async fetchWithinOrigin(url: string, init: RequestInit): Promise<Response> {
    let current = url;
    for (let hop = 0; ; hop++) {
      const response = await fetch(current, { ...init, redirect: 'manual', signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) });
      if (response.status < 300 || response.status >= 400 || response.status === 304) return response;
      await response.body?.cancel();
      const location = response.headers.get('location');
      const next = location === null ? undefined : URL.parse(location, current);
      if (!next || next.origin !== this.base.origin) {
        throw new LegacySourceError(`${url} redirects to ${location ?? '(no location)'}, off the source's origin ${this.base.origin}: refused`);
      }
      if (hop >= MAX_REDIRECTS) throw new LegacySourceError(`${url} redirects more than ${MAX_REDIRECTS} times: refused`);
      current = next.toString();
    }
  }

  /** One JSON request; `retry` (pages after the first) waits and tries again after a 5xx or no answer. */
  private async request(url: string, init: RequestInit, retry: boolean): Promise<{ json: unknown; utf8: boolean }> {
    const delays = retry ? (this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS) : [];
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetchWithinOrigin(url, init);
      } catch (error) {
        if (error instanceof LegacySourceError) throw error;
        // fetch rejects with a TypeError (network) or a DOMException (timeout): the backend did not answer.
        if (attempt < delays.length) {
          await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
          continue;
        }
        throw new LegacySourceError(`${url} did not answer: ${(error as Error).message}`);
      }
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        throw new LegacySourceError(`${url} refused the credentials (HTTP ${response.status}): check --token, or --email and --password`, true);
      }
      if (response.status >= 500 && attempt < delays.length) {
        await response.body?.cancel();
        await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
        continue;
      }
      const { text, utf8 } = await this.bodyOf(url, response);
      if (!response.ok) throw new LegacySourceError(`${url} answered HTTP ${response.status}: ${text.slice(0, 200)}`);
      try {
        return { json: JSON.parse(text), utf8 };
      } catch (error) {
        if (error instanceof SyntaxError) throw new LegacySourceError(`${url} answered something that is not JSON: ${text.slice(0, 200)}`);
        throw error;
      }
    }
  }

  private async signIn(): Promise<void> {
    const { email, password } = this.options;
    if (this.token) return;
    if (!email || !password) throw new LegacySourceError('the old backend needs --token, or --email and --password');
    const { json: body } = await this.request(
      this.url('auth/login'),
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ email, password }),
      },
      false,
    );
    const token = record(record(body)?.['data'])?.['token'];
    if (typeof token !== 'string' || token === '') throw new LegacySourceError(`${this.url('auth/login')} answered without data.token`);
    this.token = token;
  }

  private async page(number: number): Promise<Page> {
    const url = this.url(`assets?page=${number}&limit=${this.options.pageSize}`);
    // The first page is read before anything is written: a failure there stops the run at once (exit 2).
    const answer = await this.request(url, { headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json' } }, number > 1);
    const body = record(answer.json);
    const data = record(body?.['data']);
    if (!data || !Array.isArray(data['items'])) throw new LegacySourceError(`${url} answered no data.items: is this the old backend's API?`);
    const total = typeof data['total'] === 'number' ? data['total'] : undefined;
    // The backend may serve fewer per page than asked for: its own limit is what pages count in.
    const limit = typeof data['limit'] === 'number' && data['limit'] > 0 ? data['limit'] : this.options.pageSize;
    return { items: data['items'], total, limit, utf8: answer.utf8 };
  }

  async open(): Promise<void> {
    await this.signIn();
    this.first = await this.page(1);
  }

  progress(): number | undefined {
    const total = this.first?.total;
    return total ? Math.min(1, this.itemsRead / total) : undefined;
  }

  async *records(): AsyncIterable<SourceRecord> {
    let current = this.first ?? (await this.page(1));
    const total = current.total;
    let previousIds: string | undefined;
    for (let number = 1; ; number++) {
      const ids = current.items.map((item) => String(record(item)?.['_id'] ?? '')).join(',');
      if (current.items.length > 0 && ids === previousIds) throw new LegacySourceError(`page ${number} repeats page ${number - 1}: paging stopped there`);
      previousIds = ids;
      for (const [index, item] of current.items.entries()) {
        this.itemsRead++;
        if (total !== undefined && this.itemsRead > total)
          throw new LegacySourceError(`page ${number} goes past the ${total} assets the source's total announced: paging stopped there`);
        const id = record(item)?.['_id'];
        const position = `page ${number} item ${index + 1}`;
        if (!current.utf8 && JSON.stringify(item).includes(REPLACEMENT_CHARACTER)) {
          yield { position, error: '(document): holds bytes that are not UTF-8: not read', ...(typeof id === 'string' ? { id } : {}) };
          continue;
        }
        yield recordAt(
          position,
          () => decodeExtendedJsonValue(item),
          () => (typeof id === 'string' ? id : undefined),
        );
      }
      if (current.items.length === 0 && total !== undefined && this.itemsRead < total)
        throw new LegacySourceError(
          `page ${number} is empty after ${this.itemsRead} of the ${total} assets the source's total announced: paging stopped there`,
        );
      const last = current.items.length === 0 || current.items.length < current.limit || (total !== undefined && this.itemsRead >= total);
      if (last) return;
      current = await this.page(number + 1);
    }
  }
}
