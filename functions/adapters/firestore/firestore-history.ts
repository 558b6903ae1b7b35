/**
 * Records and reads history entries at `{assets}/{assetId}/history/{entryId}`, a subcollection of each
 * asset (so an asset's history is read without a query over everyone's): the one history writer.
 * Every writer of an asset (the asset writes, the album-art store of the album-art and variant
 * pipelines, the importer) records through a `HistoryRecorder`, and the migration backups through
 * `recordBackupEntry`, inside the transaction or batch of its write, so an entry exists exactly when
 * the write committed, and every entry is built by `historyEntryOf` with the same cap.
 */
import { Timestamp, type DocumentData, type DocumentReference, type Firestore } from '@google-cloud/firestore';

import { decodeValue, encodeValue, fromFirestore } from './firestore-values.js';
import { withFirestoreErrors } from './firestore-errors.js';
import { HISTORY_SUBCOLLECTION } from './stored-names.js';
import { NotFoundError } from '../../domain/errors.js';
import type { HistoryReader } from '../../domain/ports/history-reader.js';
import { SYSTEM_FIELD } from '../../domain/stored-asset.js';
import { boundedBeforeImage, changedFieldsOf, type BeforeScope, type HistoryContext } from '../../domain/history-entry.js';
import type { HistoryEntryView, HistoryQuery } from '../../domain/schemas/history.js';
import type { Config } from '../../platform/config.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How history is recorded: the configuration's HISTORY_ENABLED and HISTORY_RETENTION_DAYS (config.dataSafety). */
export type HistorySettings = Pick<Config['dataSafety'], 'historyEnabled' | 'historyRetentionDays'>;

function historyOf(asset: DocumentReference) {
  return asset.collection(HISTORY_SUBCOLLECTION);
}

/** The before-image as one string, within the cap: whole, else the changed fields only, else none. */
function boundedBefore(before: DocumentData, changedFields: readonly string[]): { before?: string; beforeScope: BeforeScope } {
  const bounded = boundedBeforeImage(before, changedFields, (image) => JSON.stringify(encodeValue(image)));
  return bounded.scope === 'omitted' ? { beforeScope: 'omitted' } : { before: bounded.encoded, beforeScope: bounded.scope };
}

export interface HistoryChange {
  /** The stored document before the write; absent on a create. */
  before?: DocumentData | undefined;
  /** The document written; used to work out changedFields when they are not given. */
  after?: DocumentData | undefined;
  changedFields?: string[];
}

/** A transaction or a write batch: all recording needs is to add a document to the same commit. */
export interface HistoryCommit {
  set(documentRef: DocumentReference, data: DocumentData): unknown;
}

/**
 * The one builder of history entries, whoever writes (API, pipelines, importer, migrations): who,
 * when, which fields, the before-image within the cap, and when the entry expires.
 */
function historyEntryOf(change: HistoryChange, context: HistoryContext, now: Date, retentionDays: number): DocumentData {
  const changedFields = change.changedFields ?? changedFieldsOf(change.before, change.after);
  const entry: DocumentData = {
    at: Timestamp.fromDate(now),
    writer: context.writer,
    actor: context.actor,
    changedFields,
    expireAt: Timestamp.fromMillis(now.getTime() + retentionDays * DAY_MS),
  };
  if (change.before) Object.assign(entry, boundedBefore(change.before, changedFields));
  return entry;
}

/**
 * What every writer of an asset records its history entries through, with the settings the
 * composition root read from the configuration (functions/runtime.ts builds the process's one).
 */
export class HistoryRecorder {
  constructor(private readonly settings: HistorySettings) {}

  /** Records in the write's own transaction or batch, so the entry exists exactly when the write committed. */
  record(commit: HistoryCommit, asset: DocumentReference, change: HistoryChange, context: HistoryContext, now = new Date()): void {
    if (!this.settings.historyEnabled) return;
    commit.set(historyOf(asset).doc(), historyEntryOf(change, context, now, this.settings.historyRetentionDays));
  }
}

/**
 * A history entry that is also a backup (a migration's: rollback restores from it), so it is written
 * whatever HISTORY_ENABLED says, under a fixed id (a resumed run overwrites it rather than adding one),
 * with `extra` fields beside the usual ones. Returns the before-image's scope: an `omitted` one is
 * not written, since it could not restore anything; the caller must not make that write.
 */
export function recordBackupEntry(
  commit: HistoryCommit,
  asset: DocumentReference,
  entryId: string,
  change: HistoryChange & { before: DocumentData },
  context: HistoryContext & { retentionDays: number; extra: DocumentData },
  now: Date,
): BeforeScope {
  const entry = historyEntryOf(change, context, now, context.retentionDays);
  const scope = entry['beforeScope'] as BeforeScope;
  if (scope !== 'omitted') commit.set(historyOf(asset).doc(entryId), { ...entry, ...context.extra });
  return scope;
}

/** The stored before-image of an entry, decoded back to Firestore values (Timestamps stay Timestamps). */
function beforeImageOf(db: Firestore, entry: DocumentData): DocumentData | undefined {
  const before: unknown = entry['before'];
  if (typeof before !== 'string') return undefined;
  return decodeValue(JSON.parse(before), db) as DocumentData;
}

function viewOf(db: Firestore, id: string, entry: DocumentData): HistoryEntryView {
  const image = beforeImageOf(db, entry);
  const at = entry['at'];
  const view: HistoryEntryView = {
    version: id,
    at: at instanceof Timestamp ? at.toDate().toISOString() : String(at),
    writer: entry['writer'] as HistoryEntryView['writer'],
    actor: typeof entry['actor'] === 'string' ? entry['actor'] : null,
    // The registry's own bookkeeping (_sys) is not part of what clients see of an asset, here either.
    changedFields: Array.isArray(entry['changedFields']) ? (entry['changedFields'] as string[]).filter((field) => field !== SYSTEM_FIELD) : [],
    // Migration entries (written by the migration tool) predate beforeScope and are always whole.
    beforeScope: (entry['beforeScope'] as HistoryEntryView['beforeScope'] | undefined) ?? 'document',
  };
  if (typeof entry['migrationId'] === 'string') view.migrationId = entry['migrationId'];
  if (image) {
    const visible = fromFirestore(image) as Record<string, unknown>;
    delete visible[SYSTEM_FIELD];
    view.before = visible;
  }
  return view;
}

/** Reads an asset's history, newest first. */
export class HistoryLog implements HistoryReader {
  constructor(
    private readonly db: Firestore,
    private readonly assetsCollection: string,
    private readonly deadlineMs: number,
  ) {}

  private entries(assetId: string) {
    return historyOf(this.db.collection(this.assetsCollection).doc(assetId));
  }

  page(assetId: string, query: HistoryQuery): Promise<{ items: HistoryEntryView[]; nextCursor?: string }> {
    return withFirestoreErrors(async () => {
      let ordered = this.entries(assetId).orderBy('at', 'desc');
      if (query.cursor) {
        const after = await this.entries(assetId).doc(query.cursor).get();
        if (!after.exists) throw new NotFoundError(`No history entry ${query.cursor} for asset ${assetId} (the cursor expired or belongs to another asset)`);
        ordered = ordered.startAfter(after);
      }
      const page = await ordered.limit(query.limit + 1).get();
      const documents = page.docs.slice(0, query.limit);
      const items = documents.map((snapshot) => viewOf(this.db, snapshot.id, snapshot.data()));
      const last = documents[documents.length - 1];
      return page.docs.length > query.limit && last ? { items, nextCursor: last.id } : { items };
    }, this.deadlineMs);
  }

  /** One entry with its before-image decoded, for revert. */
  entry(assetId: string, version: string): Promise<HistoryEntryView> {
    return withFirestoreErrors(async () => {
      const snapshot = await this.entries(assetId).doc(version).get();
      if (!snapshot.exists) throw new NotFoundError(`Asset ${assetId} has no history version ${version}`);
      return viewOf(this.db, snapshot.id, snapshot.data()!);
    }, this.deadlineMs);
  }
}
