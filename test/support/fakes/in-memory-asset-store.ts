/**
 * The assets collection in memory: one store behind the AssetRepository, HistoryReader and
 * OutboxStore ports, because in Firestore they share transactions (a write, its history entry and
 * its outbox messages commit together). Each write runs alone (one queue for the store), works on
 * copies and commits only when nothing threw, which is what a Firestore transaction guarantees.
 * Listings and searches interpret the same query plans the Firestore adapter builds its queries
 * from. test/contract/ holds the fake and the Firestore adapters to the same behaviour.
 */
import { randomBytes } from 'node:crypto';
import { countPlan, listPlan, matchPlan, type QueryPlan } from '../../../functions/adapters/firestore/asset-query-plan.js';
import { isStorableDocumentId } from '../../../functions/domain/asset-id.js';
import { ConflictError, NotFoundError, SequenceExhaustedError } from '../../../functions/domain/errors.js';
import { changedFieldsOf, HISTORY_BEFORE_CAP_BYTES, type HistoryContext } from '../../../functions/domain/history-entry.js';
import type { HistoryEntryView, HistoryQuery } from '../../../functions/domain/schemas/history.js';
import { MAX_SEQUENCE } from '../../../functions/domain/naming.js';
import type {
  AssetListQuery,
  AssetPage,
  AssetRepository,
  DeletedAsset,
  MatchCount,
  MatchFilters,
  MatchPage,
  MatchQuery,
  OutboxWrites,
  PagePosition,
  SequenceAllocator,
  SoftDeleteRequest,
} from '../../../functions/domain/ports/asset-repository.js';
import type { HistoryReader } from '../../../functions/domain/ports/history-reader.js';
import type { OutboxMessage, OutboxStore } from '../../../functions/domain/ports/outbox.js';
import { registryFieldsOf, SYSTEM_FIELD, type StoredAsset, type StoredAssetDocument } from '../../../functions/domain/stored-asset.js';
import { compareStrings, compareValues, fieldOf, sameType, stored } from './document-order.js';

type Data = Record<string, unknown>;
type FilterClause = QueryPlan['filters'][number];

interface HistoryRecord {
  id: string;
  at: string;
  writer: HistoryContext['writer'];
  actor: string | null;
  changedFields: string[];
  beforeScope?: 'document' | 'changed-fields' | 'omitted';
  /** The before-image as stored: JSON text within the cap. */
  before?: string;
}

interface DeletedRecord {
  asset: Data;
  deletedBy: string;
  deletedAt: string;
  purgeAt: string;
  reason?: string;
  forcedComposites: string[];
}

/** Everything the store holds; writes replace it only once they have finished. */
interface State {
  assets: Map<string, Data>;
  deleted: Map<string, DeletedRecord>;
  sequences: Map<string, number>;
  history: Map<string, HistoryRecord[]>;
  outbox: Map<string, OutboxMessage>;
}

function copyState(state: State): State {
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
function autoId(): string {
  return [...randomBytes(20)].map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
}

function toStoredAsset(id: string, data: Data): StoredAsset {
  return { id, document: stored(data) as StoredAssetDocument };
}

function toDeletedAsset(id: string, record: DeletedRecord): DeletedAsset {
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

function highestSequence(names: string[], prefix: string): number {
  let highest = 0;
  for (const name of names) {
    const match = /^(\d+)/.exec(name.slice(prefix.length));
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return highest;
}

function boundedBefore(before: Data, changedFields: readonly string[]): Pick<HistoryRecord, 'before' | 'beforeScope'> {
  const whole = JSON.stringify(before);
  if (Buffer.byteLength(whole) <= HISTORY_BEFORE_CAP_BYTES) return { before: whole, beforeScope: 'document' };
  const subset: Data = {};
  for (const field of changedFields) if (field in before) subset[field] = before[field];
  const partial = JSON.stringify(subset);
  if (Buffer.byteLength(partial) <= HISTORY_BEFORE_CAP_BYTES) return { before: partial, beforeScope: 'changed-fields' };
  return { beforeScope: 'omitted' };
}

function matches(document: Data, clause: FilterClause): boolean {
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

/** A document in a plan's order: its order values, then its id (in the last order's direction). */
interface Positioned {
  id: string;
  data: Data;
  values: unknown[];
}

/** Runs a plan: filters, then (as Firestore) only documents that have every order field, in order. */
function runPlan(assets: Map<string, Data>, plan: QueryPlan): Positioned[] {
  const found: Positioned[] = [];
  for (const [id, data] of assets) {
    if (!plan.filters.every((clause) => matches(data, clause))) continue;
    const values = plan.orderBy.map((order) => fieldOf(data, order.field));
    if (values.some((value) => value === undefined)) continue;
    found.push({ id, data, values });
  }
  return found.sort((a, b) => comparePositions(plan, [...a.values, a.id], [...b.values, b.id]));
}

function comparePositions(plan: QueryPlan, a: readonly unknown[], b: readonly unknown[]): number {
  const directions = plan.orderBy.map((order) => order.direction);
  directions.push(directions[directions.length - 1] ?? 'asc');
  for (const [index, direction] of directions.entries()) {
    const difference = index === directions.length - 1 ? compareStrings(String(a[index]), String(b[index])) : compareValues(a[index], b[index]);
    if (difference !== 0) return direction === 'asc' ? difference : -difference;
  }
  return 0;
}

function positionOf(entry: Positioned): PagePosition {
  const values: PagePosition = entry.values.map((value) =>
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null,
  );
  values.push(entry.id);
  return values;
}

/** Reads and writes inside one write of the store (the fake's transaction). */
class Write {
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

export class InMemoryAssetStore {
  private state: State = { assets: new Map(), deleted: new Map(), sequences: new Map(), history: new Map(), outbox: new Map() };
  private queue: Promise<unknown> = Promise.resolve();

  readonly repository: AssetRepository;
  readonly history: HistoryReader;
  readonly outbox: OutboxStore;

  constructor() {
    this.repository = new InMemoryAssetRepository(this);
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

class InMemoryAssetRepository implements AssetRepository {
  constructor(private readonly store: InMemoryAssetStore) {}

  private get assets(): Map<string, Data> {
    return this.store.current.assets;
  }

  private firstWhere(predicate: (data: Data) => boolean, from: Map<string, Data> = this.assets): StoredAsset | undefined {
    const ids = [...from.keys()].filter((id) => predicate(from.get(id)!)).sort(compareStrings);
    const first = ids[0];
    return first === undefined ? undefined : toStoredAsset(first, from.get(first)!);
  }

  get(id: string): Promise<StoredAsset | undefined> {
    const data = isStorableDocumentId(id) ? this.assets.get(id) : undefined;
    return Promise.resolve(data ? toStoredAsset(id, data) : undefined);
  }

  findByAddress(kind: 'hfn' | 'mfa', base: string): Promise<StoredAsset | undefined> {
    const field = kind === 'hfn' ? 'name' : 'nna_address';
    const textOf = (data: Data): unknown => data[field];
    const candidates: Array<(data: Data) => boolean> = [
      (data) => fieldOf(data, kind === 'hfn' ? '_sys.hfn' : '_sys.mfa') === base,
      (data) => textOf(data) === base,
      (data) => {
        const text = textOf(data);
        return typeof text === 'string' && compareStrings(text, `${base}:`) >= 0 && compareStrings(text, `${base};`) < 0;
      },
    ];
    for (const predicate of candidates) {
      const found = this.firstWhere(predicate);
      if (found) return Promise.resolve(found);
    }
    return Promise.resolve(undefined);
  }

  findByStoredAddress(text: string): Promise<StoredAsset | undefined> {
    for (const field of ['name', 'nna_address']) {
      const found = this.firstWhere((data) => data[field] === text);
      if (found) return Promise.resolve(found);
    }
    return Promise.resolve(undefined);
  }

  create(sequenceKey: string, build: (sequence: number) => StoredAssetDocument, history: HistoryContext, outbox?: OutboxWrites): Promise<StoredAsset> {
    return this.store.write((write) => {
      const sequence = write.nextSequence(sequenceKey);
      const id = autoId();
      const document = build(sequence);
      const data = stored(document) as Data;
      write.state.assets.set(id, data);
      write.record(id, { after: data }, history);
      write.addOutbox({ id, document }, outbox);
      return { id, document };
    });
  }

  update(
    id: string,
    change: (current: StoredAsset, allocate: SequenceAllocator) => Promise<StoredAssetDocument>,
    history: HistoryContext,
    outbox?: OutboxWrites,
  ): Promise<StoredAsset> {
    return this.store.write(async (write) => {
      const before = isStorableDocumentId(id) ? write.state.assets.get(id) : undefined;
      if (!before) throw new NotFoundError(`Asset ${id} does not exist`);
      const document = await change(toStoredAsset(id, before), (key) => Promise.resolve(write.nextSequence(key)));
      const data = stored(document) as Data;
      write.state.assets.set(id, data);
      write.record(id, { before, after: data }, history);
      write.addOutbox({ id, document }, outbox);
      return { id, document };
    });
  }

  delete(id: string, history: HistoryContext): Promise<void> {
    return this.store.write((write) => {
      const before = write.state.assets.get(id);
      if (!before) throw new NotFoundError(`Asset ${id} does not exist`);
      write.state.assets.delete(id);
      write.record(id, { before }, history);
    });
  }

  softDelete(id: string, request: SoftDeleteRequest): Promise<DeletedAsset> {
    return this.store.write((write) => {
      const { assets } = write.state;
      const data = isStorableDocumentId(id) ? assets.get(id) : undefined;
      if (!data) throw new NotFoundError(`Asset ${id} does not exist`);
      const current = toStoredAsset(id, data);
      request.check(current);
      const hfn = registryFieldsOf(current.document)?.hfn ?? current.document.name;
      const composites = [...assets.keys()]
        .filter((other) => other !== id)
        .filter((other) => ['components', '_sys.components'].some((field) => matches(assets.get(other)!, { field, op: 'array-contains', value: hfn })))
        .sort(compareStrings);
      if (composites.length > 0 && !request.force) {
        throw new ConflictError(
          `${hfn} is a component of ${composites.length} composite(s); delete those first (an admin may force it with ?force=true)`,
          composites.map((other) => ({ path: 'composites', issue: `${String(assets.get(other)!['name'])} (id ${other}) names ${hfn}` })),
        );
      }
      this.reserveSequence(write, current.document);
      const history: HistoryContext = { writer: 'delete', actor: request.deletedBy };
      for (const other of composites) {
        const composite = assets.get(other)!;
        const deletedComponents = [...new Set([...((composite['deletedComponents'] as string[] | undefined) ?? []), hfn])];
        assets.set(other, { ...composite, deletedComponents });
        write.record(other, { before: composite, changedFields: ['deletedComponents'] }, history, request.now);
      }
      const record: DeletedRecord = {
        asset: data,
        deletedBy: request.deletedBy,
        deletedAt: request.now.toISOString(),
        purgeAt: request.purgeAt.toISOString(),
        forcedComposites: composites,
      };
      if (request.reason !== undefined) record.reason = request.reason;
      write.state.deleted.set(id, record);
      assets.delete(id);
      write.record(id, { before: data }, history, request.now);
      return toDeletedAsset(id, record);
    });
  }

  /** A deleted asset's number is never given out again: a path without a counter gets one now. */
  private reserveSequence(write: Write, document: StoredAssetDocument): void {
    const match = /^([A-Z0-9]+\.[A-Z0-9]+\.[A-Z0-9]+)\.(\d+)/i.exec(registryFieldsOf(document)?.hfn ?? document.name);
    if (!match) return;
    const sequenceKey = registryFieldsOf(document)?.sequenceKey ?? match[1]!;
    const { last, counted } = write.lastSequence(sequenceKey);
    if (!counted) write.state.sequences.set(sequenceKey, Math.max(last, Number(match[2])));
  }

  restore(id: string, actor: string, now: Date): Promise<StoredAsset> {
    return this.store.write((write) => {
      const { assets, deleted } = write.state;
      const record = isStorableDocumentId(id) ? deleted.get(id) : undefined;
      if (!record) throw new NotFoundError(`No deleted asset ${id} (never deleted, already restored, or purged)`);
      if (Date.parse(record.purgeAt) <= now.getTime())
        throw new NotFoundError(`Deleted asset ${id} is past its retention (${record.purgeAt}) and is being purged`);
      if (assets.has(id)) throw new ConflictError(`An asset with id ${id} exists again; it cannot be restored over it`);
      const restored = toDeletedAsset(id, record).asset;
      const hfn = registryFieldsOf(restored.document)?.hfn ?? restored.document.name;
      const history: HistoryContext = { writer: 'restore', actor };
      assets.set(id, record.asset);
      deleted.delete(id);
      write.record(id, { after: record.asset }, history, now);
      for (const other of record.forcedComposites) {
        const composite = assets.get(other);
        if (!composite) continue;
        const remaining = ((composite['deletedComponents'] as string[] | undefined) ?? []).filter((name) => name !== hfn);
        const next: Data = { ...composite, deletedComponents: remaining };
        if (remaining.length === 0) delete next['deletedComponents'];
        assets.set(other, next);
        write.record(other, { before: composite, changedFields: ['deletedComponents'] }, history, now);
      }
      return restored;
    });
  }

  getDeleted(id: string): Promise<DeletedAsset | undefined> {
    const record = isStorableDocumentId(id) ? this.store.current.deleted.get(id) : undefined;
    return Promise.resolve(record ? toDeletedAsset(id, record) : undefined);
  }

  /** Deleted assets in an order: by a field, then by id in the same direction (Firestore's implicit order). */
  private deletedBy(field: 'deletedAt' | 'purgeAt', direction: 'asc' | 'desc'): Array<[string, DeletedRecord]> {
    const sign = direction === 'asc' ? 1 : -1;
    return [...this.store.current.deleted].sort(([a, left], [b, right]) => sign * (compareStrings(left[field], right[field]) || compareStrings(a, b)));
  }

  listDeleted(limit: number, after?: string): Promise<{ items: DeletedAsset[]; next?: string }> {
    let ordered = this.deletedBy('deletedAt', 'desc');
    if (after) {
      const index = ordered.findIndex(([id]) => id === after);
      if (index < 0) return Promise.reject(new NotFoundError(`The cursor ${after} names no deleted asset (it was restored or purged); start again without it`));
      ordered = ordered.slice(index + 1);
    }
    const items = ordered.slice(0, limit).map(([id, record]) => toDeletedAsset(id, record));
    const last = items[items.length - 1];
    return Promise.resolve(ordered.length > limit && last ? { items, next: last.asset.id } : { items });
  }

  expiredDeleted(now: Date, limit: number): Promise<DeletedAsset[]> {
    const due = this.deletedBy('purgeAt', 'asc').filter(([, record]) => Date.parse(record.purgeAt) <= now.getTime());
    return Promise.resolve(due.slice(0, limit).map(([id, record]) => toDeletedAsset(id, record)));
  }

  removeDeleted(id: string): Promise<void> {
    return this.store.write((write) => {
      write.state.deleted.delete(id);
    });
  }

  albumArtInUse(contentKey: string, exceptId: string): Promise<boolean> {
    const uses = (data: Data): boolean => ['albumArt.sha256', 'albumArt.original.sha256'].some((field) => fieldOf(data, field) === contentKey);
    const live = [...this.assets].some(([id, data]) => id !== exceptId && uses(data));
    const deleted = [...this.store.current.deleted].some(([id, record]) => id !== exceptId && uses(record.asset));
    return Promise.resolve(live || deleted);
  }

  isDeletedAddress(kind: 'hfn' | 'mfa', base: string): Promise<boolean> {
    const field = kind === 'hfn' ? '_sys.hfn' : '_sys.mfa';
    return Promise.resolve([...this.store.current.deleted.values()].some((record) => fieldOf(record.asset, field) === base));
  }

  list(query: AssetListQuery): Promise<AssetPage> {
    const total = runPlan(this.assets, countPlan(query)).length;
    const page = pageOf(this.assets, listPlan(query), query);
    const skipped = query.after ? 0 : Math.min(query.offset, total);
    return Promise.resolve({ total, ...page, documentsRead: page.documentsRead + skipped, aggregationReads: aggregationReadsOf(total) });
  }

  readMatching(query: MatchQuery): Promise<MatchPage> {
    const page = pageOf(this.assets, matchPlan(query), { offset: query.offset ?? 0, limit: query.limit, after: query.after });
    return Promise.resolve({ ...page, documentsRead: page.documentsRead + (query.after ? 0 : (query.offset ?? 0)) });
  }

  countMatching(query: MatchFilters): Promise<MatchCount> {
    const count = runPlan(this.assets, matchPlan(query)).length;
    return Promise.resolve({ count, aggregationReads: aggregationReadsOf(count) });
  }
}

/** A count bills one read per 1,000 index entries, at least one. */
function aggregationReadsOf(count: number): number {
  return Math.max(1, Math.ceil(count / 1000));
}

/** A page of a plan from a position or an offset, with one more read to tell whether more follow. */
function pageOf(assets: Map<string, Data>, plan: QueryPlan, at: { offset: number; limit: number; after?: PagePosition | undefined }): MatchPage {
  const ordered = runPlan(assets, plan);
  let start: number;
  if (at.after) {
    const after = at.after;
    const index = ordered.findIndex((entry) => comparePositions(plan, [...entry.values, entry.id], after) > 0);
    start = index < 0 ? ordered.length : index;
  } else {
    start = Math.min(at.offset, ordered.length);
  }
  const fetched = ordered.slice(start, start + at.limit + 1);
  const page = fetched.slice(0, at.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((entry) => toStoredAsset(entry.id, entry.data)),
    ...(fetched.length > at.limit && last ? { next: positionOf(last) } : {}),
    documentsRead: Math.max(fetched.length, 1),
  };
}

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

class InMemoryHistory implements HistoryReader {
  constructor(private readonly store: InMemoryAssetStore) {}

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

class InMemoryOutbox implements OutboxStore {
  constructor(private readonly store: InMemoryAssetStore) {}

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
