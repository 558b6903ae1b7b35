/**
 * The assets collection in memory, as the asset's fakes share it: the state every port reads, and
 * the write that replaces it. Each write runs alone (one queue for the store), works on copies and
 * commits only when nothing threw, which is what a Firestore transaction guarantees.
 */
import { randomBytes } from 'node:crypto';
import type { QueryPlan } from '../../../functions/adapters/firestore/asset-query-plan.js';
import { SequenceExhaustedError } from '../../../functions/domain/errors.js';
import { boundedBeforeImage, changedFieldsOf, type BeforeScope, type HistoryContext } from '../../../functions/domain/history-entry.js';
import { highestSequence, MAX_SEQUENCE } from '../../../functions/domain/naming.js';
import type { OutboxWrites } from '../../../functions/domain/ports/asset-writes.js';
import type { DeletedAsset } from '../../../functions/domain/ports/deleted-assets.js';
import type { OutboxMessage } from '../../../functions/domain/ports/outbox.js';
import type { StoredAsset, StoredAssetDocument } from '../../../functions/domain/stored-asset.js';
import { compareValues, fieldOf, sameType, stored } from './document-order.js';

export type Data = Record<string, unknown>;
export type FilterClause = QueryPlan['filters'][number];

export interface HistoryRecord {
  id: string;
  at: string;
  writer: HistoryContext['writer'];
  actor: string | null;
  changedFields: string[];
  beforeScope?: BeforeScope;
  /** The before-image as stored: JSON text within the cap. */
  before?: string;
}

export interface DeletedRecord {
  asset: Data;
  deletedBy: string;
  deletedAt: string;
  purgeAt: string;
  reason?: string;
  forcedComposites: string[];
}

/** Everything the store holds; writes replace it only once they have finished. */
export interface State {
  assets: Map<string, Data>;
  deleted: Map<string, DeletedRecord>;
  sequences: Map<string, number>;
  history: Map<string, HistoryRecord[]>;
  outbox: Map<string, OutboxMessage>;
}

export function copyState(state: State): State {
  return {
    assets: new Map(state.assets),
    deleted: new Map(state.deleted),
    sequences: new Map(state.sequences),
    history: new Map([...state.history].map(([id, entries]) => [id, [...entries]])),
    outbox: new Map(state.outbox),
  };
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A 20-character id like Firestore's automatic ones. */
export function autoId(): string {
  return [...randomBytes(20)].map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
}

export function toStoredAsset(id: string, data: Data): StoredAsset {
  return { id, document: stored(data) as StoredAssetDocument };
}

export function toDeletedAsset(id: string, record: DeletedRecord): DeletedAsset {
  const deleted: DeletedAsset = {
    asset: toStoredAsset(id, record.asset),
    deletedBy: record.deletedBy,
    deletedAt: record.deletedAt,
    purgeAt: record.purgeAt,
    forcedComposites: [...record.forcedComposites],
  };
  if (record.reason !== undefined) deleted.reason = record.reason;
  return deleted;
}

function boundedBefore(before: Data, changedFields: readonly string[]): Pick<HistoryRecord, 'before' | 'beforeScope'> {
  const bounded = boundedBeforeImage(before, changedFields, (image) => JSON.stringify(image));
  return bounded.scope === 'omitted' ? { beforeScope: 'omitted' } : { before: bounded.encoded, beforeScope: bounded.scope };
}

export function matches(document: Data, clause: FilterClause): boolean {
  const value = fieldOf(document, clause.field);
  switch (clause.op) {
    case '==':
      return value !== undefined && sameType(value, clause.value) && compareValues(value, clause.value) === 0;
    case 'array-contains':
      return Array.isArray(value) && value.some((entry) => compareValues(entry, clause.value) === 0);
    case 'array-contains-any':
      return Array.isArray(value) && value.some((entry) => (clause.value as unknown[]).some((wanted) => compareValues(entry, wanted) === 0));
    case '>=':
      return value !== undefined && sameType(value, clause.value) && compareValues(value, clause.value) >= 0;
    case '<=':
      return value !== undefined && sameType(value, clause.value) && compareValues(value, clause.value) <= 0;
  }
}

/** Reads and writes inside one write of the store (the fake's transaction). */
export class Write {
  constructor(readonly state: State) {}

  lastSequence(sequenceKey: string): { last: number; counted: boolean } {
    const counter = this.state.sequences.get(sequenceKey);
    if (counter !== undefined) return { last: counter, counted: true };
    const prefix = `${sequenceKey}.`;
    const names = [...this.state.assets.values()]
      .map((data) => data['name'])
      .filter((name): name is string => typeof name === 'string' && name.startsWith(prefix));
    return { last: highestSequence(names, prefix), counted: false };
  }

  nextSequence(sequenceKey: string): number {
    const next = this.lastSequence(sequenceKey).last + 1;
    if (next > MAX_SEQUENCE) throw new SequenceExhaustedError(sequenceKey, MAX_SEQUENCE);
    this.state.sequences.set(sequenceKey, next);
    return next;
  }

  record(
    assetId: string,
    change: { before?: Data | undefined; after?: Data | undefined; changedFields?: string[] },
    context: HistoryContext,
    now = new Date(),
  ): void {
    const changedFields = change.changedFields ?? changedFieldsOf(change.before, change.after);
    const entry: HistoryRecord = { id: autoId(), at: now.toISOString(), writer: context.writer, actor: context.actor, changedFields };
    if (change.before) Object.assign(entry, boundedBefore(change.before, changedFields));
    const entries = this.state.history.get(assetId) ?? [];
    this.state.history.set(assetId, [...entries, entry]);
  }

  addOutbox(written: StoredAsset, outbox: OutboxWrites | undefined): void {
    for (const message of outbox?.(written) ?? []) this.state.outbox.set(message.id, stored(message));
  }
}

/** What the fakes of the asset's ports share: the committed state, and one write at a time. */
export interface AssetState {
  /** The committed state, for reads (never modified in place: writes replace it). */
  readonly current: Readonly<State>;
  write<T>(work: (write: Write) => Promise<T> | T): Promise<T>;
}
