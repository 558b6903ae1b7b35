/**
 * The assets collection in memory: one store behind the asset's ports (writes, queries, deleted
 * assets) and the HistoryReader and OutboxStore ports, because in Firestore they share transactions
 * (a write, its history entry and its outbox messages commit together) and one state.
 * test/contract/ holds the fakes and the Firestore adapters to the same behaviour.
 */
import type { AssetStore } from '../../../functions/domain/ports/asset-store.js';
import type { AssetWriteListener } from '../../../functions/domain/ports/asset-writes.js';
import type { HistoryReader } from '../../../functions/domain/ports/history-reader.js';
import type { OutboxStore } from '../../../functions/domain/ports/outbox.js';
import { stored } from './document-order.js';
import { InMemoryAssetQueries } from './in-memory-asset-queries.js';
import { copyState, Write, type AssetState, type State } from './in-memory-asset-state.js';
import { InMemoryAssetWrites } from './in-memory-asset-writes.js';
import { InMemoryDeletedAssets } from './in-memory-deleted-assets.js';
import { InMemoryHistory, InMemoryOutbox } from './in-memory-history-and-outbox.js';

export interface InMemoryAssetStoreOptions {
  /** Hears every write of the asset once it has finished (the API invalidates its shared listings there). */
  onWrite?: AssetWriteListener;
}

export class InMemoryAssetStore implements AssetStore, AssetState {
  private state: State = { assets: new Map(), deleted: new Map(), sequences: new Map(), history: new Map(), outbox: new Map() };
  private queue: Promise<unknown> = Promise.resolve();

  readonly writes: InMemoryAssetWrites;
  readonly queries: InMemoryAssetQueries;
  readonly deleted: InMemoryDeletedAssets;
  readonly history: HistoryReader;
  readonly outbox: OutboxStore;

  constructor(options: InMemoryAssetStoreOptions = {}) {
    this.writes = new InMemoryAssetWrites(this, options.onWrite);
    this.queries = new InMemoryAssetQueries(this);
    this.deleted = new InMemoryDeletedAssets(this);
    this.history = new InMemoryHistory(this);
    this.outbox = new InMemoryOutbox(this);
  }

  /** The committed state, for reads (never modified in place: writes replace it). */
  get current(): Readonly<State> {
    return this.state;
  }

  /** One write at a time, on a copy; the copy becomes the state only if `work` succeeds. */
  write<T>(work: (write: Write) => Promise<T> | T): Promise<T> {
    const run = this.queue.then(async () => {
      const write = new Write(copyState(this.state));
      const result = await work(write);
      this.state = write.state;
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Puts a document in place as another writer left it (a legacy or imported asset): no history, no counter. */
  seed(id: string, document: Record<string, unknown>): Promise<void> {
    return this.seedMany([{ id, document }]);
  }

  /** Seeds many documents in one write: a registry of 100,000 without copying the state for each. */
  seedMany(documents: Iterable<{ id: string; document: Record<string, unknown> }>): Promise<void> {
    return this.write((write) => {
      for (const { id, document } of documents) write.state.assets.set(id, stored(document));
    });
  }
}
