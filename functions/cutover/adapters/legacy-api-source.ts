/**
 * The old backend's REST API as a source: `GET <base>/assets?page=&limit=` page by page, answered
 * `{ success, data: { items, total, page, limit } }`, with a bearer token given or obtained by
 * signing in at `POST <base>/auth/login {email, password}` (`data.token`). `open` signs in and reads
 * the first page, so a wrong token or an unreachable backend stops the run before it writes. Items
 * are the JSON the backend served; they pass through the same Extended JSON decoding as an export.
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
}

interface Page {
  items: unknown[];
  total: number | undefined;
  limit: number;
}

const DEFAULT_RETRY_DELAYS_MS = [1_000, 4_000, 15_000];

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

  /** One JSON request; `retry` (pages after the first) waits and tries again after a 5xx or no answer. */
  private async request(url: string, init: RequestInit, retry: boolean): Promise<unknown> {
    const delays = retry ? (this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS) : [];
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, { ...init, signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) });
      } catch (error) {
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
      const text = await response.text();
      if (!response.ok) throw new LegacySourceError(`${url} answered HTTP ${response.status}: ${text.slice(0, 200)}`);
      try {
        return JSON.parse(text);
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
    const body = await this.request(
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
    const body = record(await this.request(url, { headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json' } }, number > 1));
    const data = record(body?.['data']);
    if (!data || !Array.isArray(data['items'])) throw new LegacySourceError(`${url} answered no data.items: is this the old backend's API?`);
    const total = typeof data['total'] === 'number' ? data['total'] : undefined;
    // The backend may serve fewer per page than asked for: its own limit is what pages count in.
    const limit = typeof data['limit'] === 'number' && data['limit'] > 0 ? data['limit'] : this.options.pageSize;
    return { items: data['items'], total, limit };
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
    for (let number = 1; ; number++) {
      for (const [index, item] of current.items.entries()) {
        this.itemsRead++;
        const id = record(item)?.['_id'];
        yield recordAt(
          `page ${number} item ${index + 1}`,
          () => decodeExtendedJsonValue(item),
          () => (typeof id === 'string' ? id : undefined),
        );
      }
      const last =
        current.items.length === 0 || current.items.length < current.limit || (current.total !== undefined && number * current.limit >= current.total);
      if (last) return;
      current = await this.page(number + 1);
    }
  }
}
