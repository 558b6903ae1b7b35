/**
 * The importer's target in memory, as the Firestore import target keeps it: assets by id, deleted
 * ids, sequence counters, a history entry per written asset, and every write conditional on the
 * version read (a create on a document or counter that appeared since is `stale` too). Documents it
 * refuses, as Firestore refuses a field name it reserves, make the whole commit `refused`.
 */
import type { LegacyDocument } from '../../../functions/cutover/legacy-asset.js';
import { nameKeyOf } from '../../../functions/cutover/legacy-asset.js';
import type { Counter, ImportTarget, TargetDocument, TargetName, TargetWrite, Version } from '../../../functions/cutover/ports.js';

interface Stored<T> {
  value: T;
  version: number;
}

/** A field name Firestore reserves (`__name__`): what it refuses to store. */
const RESERVED_FIELD = /^__.*__$/;

function reservedFieldOf(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.map(reservedFieldOf).find((field) => field !== undefined);
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, entry] of Object.entries(value)) {
    if (RESERVED_FIELD.test(key)) return key;
    const nested = reservedFieldOf(entry);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

function versionOf(stored: Stored<unknown> | undefined): Version | undefined {
  return stored === undefined ? undefined : (stored.version as unknown as Version);
}

function sameVersion(stored: Stored<unknown> | undefined, read: Version | undefined): boolean {
  return versionOf(stored) === read;
}

export class InMemoryImportTarget implements ImportTarget {
  private readonly assets = new Map<string, Stored<LegacyDocument>>();
  private readonly deleted = new Set<string>();
  private readonly counters = new Map<string, Stored<number>>();
  private readonly history = new Map<string, number>();
  private clock = 0;
  private reads = 0;
  /** Commits made, whatever their outcome (a test counts the attempts of a batch). */
  commits = 0;

  get documentsRead(): number {
    return this.reads;
  }

  /** Stores a document as another writer would (the API, an earlier import), with a new version. */
  put(id: string, document: LegacyDocument): void {
    this.assets.set(id, { value: structuredClone(document), version: ++this.clock });
  }

  markDeleted(id: string): void {
    this.deleted.add(id);
  }

  putCounter(key: string, last: number): void {
    this.counters.set(key, { value: last, version: ++this.clock });
  }

  stored(id: string): LegacyDocument | undefined {
    const stored = this.assets.get(id);
    return stored && structuredClone(stored.value);
  }

  counter(key: string): number | undefined {
    return this.counters.get(key)?.value;
  }

  historyCount(id: string): number {
    return this.history.get(id) ?? 0;
  }

  async *names(): AsyncIterable<TargetName> {
    for (const [id, { value }] of [...this.assets]) {
      this.reads++;
      const system = value['_sys'] as { hfn?: unknown; imported?: { importedAt?: unknown } } | undefined;
      yield { id, nameKey: nameKeyOf({ name: value['name'], hfn: system?.hfn }), imported: system?.imported?.importedAt !== undefined };
      await Promise.resolve();
    }
  }

  read(ids: string[]): Promise<TargetDocument[]> {
    // The asset and its deleted twin, both billed, as Firestore reads them.
    this.reads += ids.length * 2;
    return Promise.resolve(
      ids.map((id) => {
        const stored = this.assets.get(id);
        return { id, data: stored && structuredClone(stored.value), version: versionOf(stored), deletedHere: this.deleted.has(id) };
      }),
    );
  }

  readCounters(keys: string[]): Promise<Counter[]> {
    this.reads += keys.length;
    return Promise.resolve(
      keys.map((key) => {
        const stored = this.counters.get(key);
        return { key, last: stored?.value ?? 0, version: versionOf(stored) };
      }),
    );
  }

  commit(writes: TargetWrite[], counters: Counter[]): Promise<{ counters: Counter[] } | 'stale' | { refused: string }> {
    this.commits++;
    for (const { after } of writes) {
      const reserved = reservedFieldOf(after);
      if (reserved !== undefined) return Promise.resolve({ refused: `${reserved} is a reserved field name` });
    }
    const current = writes.every(({ before }) => sameVersion(this.assets.get(before.id), before.version));
    if (!current || !counters.every((counter) => sameVersion(this.counters.get(counter.key), counter.version))) return Promise.resolve('stale');
    for (const { before, after } of writes) {
      this.put(before.id, after);
      this.history.set(before.id, this.historyCount(before.id) + 1);
    }
    for (const counter of counters) this.putCounter(counter.key, counter.last);
    return Promise.resolve({ counters: counters.map((counter) => ({ ...counter, version: versionOf(this.counters.get(counter.key)) })) });
  }
}
