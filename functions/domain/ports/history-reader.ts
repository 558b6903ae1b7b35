import type { HistoryEntryView, HistoryQuery } from '../schemas/history.js';

/** An asset's history, newest first (entries are written by the writers, in their transactions). */
export interface HistoryReader {
  page(assetId: string, query: HistoryQuery): Promise<{ items: HistoryEntryView[]; nextCursor?: string }>;
  /** One entry; NotFoundError when the asset has no such version. */
  entry(assetId: string, version: string): Promise<HistoryEntryView>;
}
