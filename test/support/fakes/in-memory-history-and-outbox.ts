/** The history and the outbox of the in-memory assets: written by the fake's writes, read here. */
import { NotFoundError } from '../../../functions/domain/errors.js';
import type { HistoryReader } from '../../../functions/domain/ports/history-reader.js';
import type { OutboxMessage, OutboxStore } from '../../../functions/domain/ports/outbox.js';
import type { HistoryEntryView, HistoryQuery } from '../../../functions/domain/schemas/history.js';
import { SYSTEM_FIELD } from '../../../functions/domain/stored-asset.js';
import { compareStrings, stored } from './document-order.js';
import type { AssetState, Data, HistoryRecord } from './in-memory-asset-state.js';

function viewOf(entry: HistoryRecord): HistoryEntryView {
  const view: HistoryEntryView = {
    version: entry.id,
    at: entry.at,
    writer: entry.writer,
    actor: entry.actor,
    changedFields: entry.changedFields.filter((field) => field !== SYSTEM_FIELD),
    beforeScope: entry.beforeScope ?? 'document',
  };
  if (entry.before !== undefined) {
    const visible = JSON.parse(entry.before) as Data;
    delete visible[SYSTEM_FIELD];
    view.before = visible;
  }
  return view;
}

export class InMemoryHistory implements HistoryReader {
  constructor(private readonly store: AssetState) {}

  /** Newest first; entries written in the same millisecond, the later write first. */
  private newestFirst(assetId: string): HistoryRecord[] {
    const entries = [...(this.store.current.history.get(assetId) ?? [])].reverse();
    return entries.sort((a, b) => compareStrings(b.at, a.at));
  }

  page(assetId: string, query: HistoryQuery): Promise<{ items: HistoryEntryView[]; nextCursor?: string }> {
    let entries = this.newestFirst(assetId);
    if (query.cursor) {
      const index = entries.findIndex((entry) => entry.id === query.cursor);
      if (index < 0)
        return Promise.reject(new NotFoundError(`No history entry ${query.cursor} for asset ${assetId} (the cursor expired or belongs to another asset)`));
      entries = entries.slice(index + 1);
    }
    const items = entries.slice(0, query.limit).map(viewOf);
    const last = items[items.length - 1];
    return Promise.resolve(entries.length > query.limit && last ? { items, nextCursor: last.version } : { items });
  }

  entry(assetId: string, version: string): Promise<HistoryEntryView> {
    const entry = this.store.current.history.get(assetId)?.find((candidate) => candidate.id === version);
    return entry ? Promise.resolve(viewOf(entry)) : Promise.reject(new NotFoundError(`Asset ${assetId} has no history version ${version}`));
  }
}

export class InMemoryOutbox implements OutboxStore {
  constructor(private readonly store: AssetState) {}

  olderThan(before: string, limit: number): Promise<OutboxMessage[]> {
    const messages = [...this.store.current.outbox.values()]
      .filter((message) => compareStrings(message.createdAt, before) < 0)
      .sort((a, b) => compareStrings(a.createdAt, b.createdAt) || compareStrings(a.id, b.id));
    return Promise.resolve(messages.slice(0, limit).map((message) => stored(message)));
  }

  remove(id: string): Promise<void> {
    return this.store.write((write) => {
      write.state.outbox.delete(id);
    });
  }
}
