/**
 * Assets in Firestore: one document per asset in the assets collection, one counter document per
 * layer/category/subcategory in `sequences`.
 */
import {
  FieldPath,
  FieldValue,
  Timestamp,
  type CollectionReference,
  type DocumentData,
  type Firestore,
  type Query,
  type QueryDocumentSnapshot,
  type Transaction,
} from '@google-cloud/firestore';
import { isStorableDocumentId } from '../../domain/asset-id.js';
import { ConflictError, NotFoundError, SequenceExhaustedError, ValidationError } from '../../domain/errors.js';
import type { HistoryContext } from '../../domain/history-entry.js';
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
} from '../../domain/ports/asset-repository.js';
import { MAX_SEQUENCE } from '../../domain/naming.js';
import { registryFieldsOf, type StoredAsset, type StoredAssetDocument } from '../../domain/stored-asset.js';
import { KeyedMutex } from '../../platform/keyed-mutex.js';
import { countPlan, listPlan, matchPlan, type QueryPlan } from './asset-query-plan.js';
import type { WriteFence } from '../../domain/ports/idempotency-store.js';
import type { SequenceJournal } from '../../domain/ports/sequence-journal.js';
import { runTransactionWithin } from './deadline-transaction.js';
import { withFirestoreErrors, withFirestoreWrite } from './firestore-errors.js';
import { fenceInTransaction } from './firestore-idempotency-store.js';
import { fromFirestore } from './firestore-values.js';
import { recordHistory } from './firestore-history.js';
import { OUTBOX_COLLECTION } from './outbox-collection.js';

/**
 * After its retention a deleted asset is purged by the sweep (files, album art, then the document);
 * the TTL policy on `expireAt` removes the document this much later only if the sweep never ran, so
 * the sweep normally sees every deleted asset and its files are not orphaned.
 */
const TTL_GRACE_MS = 7 * 24 * 60 * 60 * 1000;

function isoOf(value: unknown): string {
  return value instanceof Timestamp ? value.toDate().toISOString() : String(value);
}

/** A deleted asset as stored: the asset's document untouched under `asset`, the deletion beside it. */
function toDeletedAsset(id: string, data: DocumentData): DeletedAsset {
  const deleted: DeletedAsset = {
    asset: toStoredAsset(id, data['asset'] as DocumentData),
    deletedBy: String(data['deletedBy']),
    deletedAt: isoOf(data['deletedAt']),
    purgeAt: isoOf(data['purgeAt']),
    forcedComposites: (data['forcedComposites'] as string[] | undefined) ?? [],
  };
  if (typeof data['reason'] === 'string') deleted.reason = data['reason'];
  return deleted;
}

/** Contention on one counter across instances is retried this often before the API answers 503. */
const TRANSACTION_ATTEMPTS = 20;

// Kept exported here for the modules that read it from the repository.
/** The order values of a document, to continue after it: the plan's order fields, then its id. */
function positionOf(plan: QueryPlan, snapshot: QueryDocumentSnapshot): PagePosition {
  const values: PagePosition = plan.orderBy.map((order) => {
    const value: unknown = fromFirestore(snapshot.get(order.field));
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
  });
  values.push(snapshot.id);
  return values;
}

function toStoredAsset(id: string, data: DocumentData): StoredAsset {
  return { id, document: fromFirestore(data) as StoredAssetDocument };
}

/**
 * An asset of a query's page, with its revision; its document is decoded on first use, so a listing
 * whose views are kept by revision (api/listing-bytes.ts) does not decode the documents it does not
 * rebuild.
 */
function storedAssetOfSnapshot(snapshot: QueryDocumentSnapshot): StoredAsset {
  let document: StoredAssetDocument | undefined;
  return {
    id: snapshot.id,
    revision: `${snapshot.updateTime.seconds}.${snapshot.updateTime.nanoseconds}`,
    get document(): StoredAssetDocument {
      return (document ??= fromFirestore(snapshot.data()) as StoredAssetDocument);
    },
  };
}

/** The highest sequence already used under an HFN prefix, for subcategories that predate counters. */
function highestSequence(names: string[], prefix: string): number {
  let highest = 0;
  for (const name of names) {
    const match = /^(\d+)/.exec(name.slice(prefix.length));
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return highest;
}

/** Where deleted assets wait for restore or purge (a TTL policy covers its `expireAt`). */
export function deletedCollectionOf(assetsCollection: string): string {
  return `${assetsCollection}_deleted`;
}

/** Where each taxonomy path's counter (`{ last }`, the last number given out) lives. */
export function sequencesCollectionOf(assetsCollection: string): string {
  return `${assetsCollection}_sequences`;
}

export class FirestoreAssetRepository implements AssetRepository {
  private readonly assets: CollectionReference;
  private readonly sequences: CollectionReference;
  private readonly counterLocks = new KeyedMutex();
  private readonly outbox: CollectionReference;
  /** Deleted assets within their retention: out of every query on the assets collection. */
  private readonly deleted: CollectionReference;

  constructor(
    private readonly db: Firestore,
    private readonly collection: string,
    /** How long one repository operation may wait for Firestore before the API answers 503. */
    private readonly deadlineMs: number,
    /** The local stack's note of every number given out (its emulator can lose its last seconds). */
    private readonly journal?: SequenceJournal,
  ) {
    this.assets = db.collection(collection);
    this.sequences = db.collection(sequencesCollectionOf(collection));
    this.outbox = db.collection(OUTBOX_COLLECTION);
    this.deleted = db.collection(deletedCollectionOf(collection));
  }

  /** The outbox entries of a write join its transaction: both commit or neither does. */
  private addOutbox(transaction: Transaction, written: StoredAsset, outbox: OutboxWrites | undefined): void {
    for (const message of outbox?.(written) ?? []) transaction.set(this.outbox.doc(message.id), message);
  }

  get(id: string): Promise<StoredAsset | undefined> {
    return withFirestoreErrors(async () => {
      if (!isStorableDocumentId(id)) return undefined;
      const snapshot = await this.assets.doc(id).get();
      return snapshot.exists ? toStoredAsset(snapshot.id, snapshot.data()!) : undefined;
    }, this.deadlineMs);
  }

  findByAddress(kind: 'hfn' | 'mfa', base: string): Promise<StoredAsset | undefined> {
    return withFirestoreErrors(async () => {
      // Registry-written assets carry their base address in _sys; legacy ones only in name or
      // nna_address, where a composite's base is followed by ':' (and ';' is the next character).
      const field = kind === 'hfn' ? 'name' : 'nna_address';
      const candidates: Query[] = [
        this.assets.where(kind === 'hfn' ? '_sys.hfn' : '_sys.mfa', '==', base),
        this.assets.where(field, '==', base),
        this.assets.where(field, '>=', `${base}:`).where(field, '<', `${base};`),
      ];
      for (const query of candidates) {
        const result = await query.limit(1).get();
        const first = result.docs[0];
        if (first) return toStoredAsset(first.id, first.data());
      }
      return undefined;
    }, this.deadlineMs);
  }

  findByStoredAddress(text: string): Promise<StoredAsset | undefined> {
    return withFirestoreErrors(async () => {
      for (const field of ['name', 'nna_address']) {
        const first = (await this.assets.where(field, '==', text).limit(1).get()).docs[0];
        if (first) return toStoredAsset(first.id, first.data());
      }
      return undefined;
    }, this.deadlineMs);
  }

  create(
    sequenceKey: string,
    build: (sequence: number) => StoredAssetDocument,
    history: HistoryContext,
    outbox?: OutboxWrites,
    fence?: WriteFence,
  ): Promise<StoredAsset> {
    return this.transaction({ lock: sequenceKey }, async (transaction) => {
      const fenced = fence ? await fenceInTransaction(this.db, transaction, fence) : undefined;
      if (fenced?.written !== undefined) return this.writtenBefore(transaction, fenced.written);
      const sequence = await this.nextSequence(transaction, sequenceKey);
      const reference = this.assets.doc();
      const document = build(sequence);
      transaction.create(reference, document);
      recordHistory(transaction, reference, { after: document }, history);
      this.addOutbox(transaction, { id: reference.id, document }, outbox);
      fenced?.record(reference.id);
      return { id: reference.id, document };
    });
  }

  /** The asset an earlier attempt of the same fenced request wrote: returned, not written again. */
  private async writtenBefore(transaction: Transaction, id: string): Promise<StoredAsset> {
    const snapshot = await transaction.get(this.assets.doc(id));
    if (!snapshot.exists) throw new NotFoundError(`Asset ${id}, written by this request, no longer exists`);
    return toStoredAsset(id, snapshot.data()!);
  }

  /**
   * A transaction within the deadline (deadline-transaction.ts): never committed after the API has
   * answered 503; creates in one subcategory queue for its counter within the instance.
   */
  private transaction<T>(options: { lock?: string }, body: (transaction: Transaction) => Promise<T>): Promise<T> {
    return runTransactionWithin(
      this.db,
      {
        deadlineMs: this.deadlineMs,
        maxAttempts: TRANSACTION_ATTEMPTS,
        ...(options.lock !== undefined ? { lock: { mutex: this.counterLocks, key: options.lock } } : {}),
      },
      body,
    );
  }

  update(
    id: string,
    change: (current: StoredAsset, allocate: SequenceAllocator) => Promise<StoredAssetDocument>,
    history: HistoryContext,
    outbox?: OutboxWrites,
    fence?: WriteFence,
  ): Promise<StoredAsset> {
    return this.transaction({}, async (transaction) => {
      if (!isStorableDocumentId(id)) throw new NotFoundError(`Asset ${id} does not exist`);
      const fenced = fence ? await fenceInTransaction(this.db, transaction, fence) : undefined;
      if (fenced?.written !== undefined) return this.writtenBefore(transaction, fenced.written);
      const reference = this.assets.doc(id);
      const snapshot = await transaction.get(reference);
      if (!snapshot.exists) throw new NotFoundError(`Asset ${id} does not exist`);
      const document = await change(toStoredAsset(id, snapshot.data()!), (key) => this.nextSequence(transaction, key));
      transaction.set(reference, document);
      recordHistory(transaction, reference, { before: snapshot.data(), after: document }, history);
      this.addOutbox(transaction, { id, document }, outbox);
      fenced?.record(id);
      return { id, document };
    });
  }

  delete(id: string, history: HistoryContext): Promise<void> {
    return this.transaction({}, async (transaction) => {
      const reference = this.assets.doc(id);
      const snapshot = await transaction.get(reference);
      if (!snapshot.exists) throw new NotFoundError(`Asset ${id} does not exist`);
      transaction.delete(reference);
      recordHistory(transaction, reference, { before: snapshot.data() }, history);
    });
  }

  softDelete(id: string, request: SoftDeleteRequest): Promise<DeletedAsset> {
    return this.transaction({}, async (transaction) => {
      if (!isStorableDocumentId(id)) throw new NotFoundError(`Asset ${id} does not exist`);
      const reference = this.assets.doc(id);
      const snapshot = await transaction.get(reference);
      if (!snapshot.exists) throw new NotFoundError(`Asset ${id} does not exist`);
      const current = toStoredAsset(id, snapshot.data()!);
      request.check(current);
      const hfn = registryFieldsOf(current.document)?.hfn ?? current.document.name;
      const composites = await this.compositesNaming(transaction, hfn, id);
      if (composites.length > 0 && !request.force) {
        throw new ConflictError(
          `${hfn} is a component of ${composites.length} composite(s); delete those first (an admin may force it with ?force=true)`,
          composites.map((doc) => ({ path: 'composites', issue: `${String(doc.get('name'))} (id ${doc.id}) names ${hfn}` })),
        );
      }
      const reserveSequence = await this.reserveSequence(transaction, current.document);
      // Writes only from here: a transaction reads everything first.
      reserveSequence();
      const history: HistoryContext = { writer: 'delete', actor: request.deletedBy };
      for (const composite of composites) {
        const deletedComponents = [...new Set([...((composite.get('deletedComponents') as string[] | undefined) ?? []), hfn])];
        transaction.update(composite.ref, { deletedComponents });
        recordHistory(transaction, composite.ref, { before: composite.data(), changedFields: ['deletedComponents'] }, history, request.now);
      }
      const record: DocumentData = {
        asset: snapshot.data(),
        deletedBy: request.deletedBy,
        deletedAt: Timestamp.fromDate(request.now),
        purgeAt: Timestamp.fromDate(request.purgeAt),
        expireAt: Timestamp.fromMillis(request.purgeAt.getTime() + TTL_GRACE_MS),
        forcedComposites: composites.map((doc) => doc.id),
      };
      if (request.reason !== undefined) record['reason'] = request.reason;
      transaction.set(this.deleted.doc(id), record);
      transaction.delete(reference);
      recordHistory(transaction, reference, { before: snapshot.data() }, history, request.now);
      return toDeletedAsset(id, record);
    });
  }

  restore(id: string, actor: string, now: Date): Promise<StoredAsset> {
    return this.transaction({}, async (transaction) => {
      if (!isStorableDocumentId(id)) throw new NotFoundError(`No deleted asset ${id}`);
      const tombstone = await transaction.get(this.deleted.doc(id));
      if (!tombstone.exists) throw new NotFoundError(`No deleted asset ${id} (never deleted, already restored, or purged)`);
      const deleted = toDeletedAsset(id, tombstone.data()!);
      if (Date.parse(deleted.purgeAt) <= now.getTime())
        throw new NotFoundError(`Deleted asset ${id} is past its retention (${deleted.purgeAt}) and is being purged`);
      const reference = this.assets.doc(id);
      if ((await transaction.get(reference)).exists) throw new ConflictError(`An asset with id ${id} exists again; it cannot be restored over it`);
      const composites = await Promise.all(deleted.forcedComposites.map((compositeId) => transaction.get(this.assets.doc(compositeId))));
      const hfn = registryFieldsOf(deleted.asset.document)?.hfn ?? deleted.asset.document.name;
      const history: HistoryContext = { writer: 'restore', actor };
      const data = tombstone.get('asset') as DocumentData;
      transaction.create(reference, data);
      transaction.delete(tombstone.ref);
      recordHistory(transaction, reference, { after: data }, history, now);
      for (const composite of composites) {
        if (!composite.exists) continue;
        const remaining = ((composite.get('deletedComponents') as string[] | undefined) ?? []).filter((name) => name !== hfn);
        transaction.update(composite.ref, { deletedComponents: remaining.length > 0 ? remaining : FieldValue.delete() });
        recordHistory(transaction, composite.ref, { before: composite.data(), changedFields: ['deletedComponents'] }, history, now);
      }
      return toStoredAsset(id, data);
    });
  }

  getDeleted(id: string): Promise<DeletedAsset | undefined> {
    return withFirestoreErrors(async () => {
      if (!isStorableDocumentId(id)) return undefined;
      const snapshot = await this.deleted.doc(id).get();
      return snapshot.exists ? toDeletedAsset(id, snapshot.data()!) : undefined;
    }, this.deadlineMs);
  }

  listDeleted(limit: number, after?: string): Promise<{ items: DeletedAsset[]; next?: string }> {
    return withFirestoreErrors(async () => {
      let query = this.deleted.orderBy('deletedAt', 'desc');
      if (after) {
        const position = await this.deleted.doc(after).get();
        if (!position.exists) throw new NotFoundError(`The cursor ${after} names no deleted asset (it was restored or purged); start again without it`);
        query = query.startAfter(position);
      }
      const page = await query.limit(limit + 1).get();
      const items = page.docs.slice(0, limit).map((snapshot) => toDeletedAsset(snapshot.id, snapshot.data()));
      const last = items[items.length - 1];
      return page.docs.length > limit && last ? { items, next: last.asset.id } : { items };
    }, this.deadlineMs);
  }

  expiredDeleted(now: Date, limit: number): Promise<DeletedAsset[]> {
    return withFirestoreErrors(async () => {
      const page = await this.deleted.where('purgeAt', '<=', Timestamp.fromDate(now)).orderBy('purgeAt').limit(limit).get();
      return page.docs.map((snapshot) => toDeletedAsset(snapshot.id, snapshot.data()));
    }, this.deadlineMs);
  }

  removeDeleted(id: string): Promise<void> {
    return withFirestoreWrite(async () => {
      await this.deleted.doc(id).delete();
    }, this.deadlineMs);
  }

  albumArtInUse(contentKey: string, exceptId: string): Promise<boolean> {
    return withFirestoreErrors(async () => {
      // The content key is albumArt.sha256 (content-addressed art) or, before that, the original's.
      const queries = ['albumArt.sha256', 'albumArt.original.sha256'].flatMap((field) => [
        this.assets.where(field, '==', contentKey),
        this.deleted.where(`asset.${field}`, '==', contentKey),
      ]);
      const pages = await Promise.all(queries.map((query) => query.select().limit(2).get()));
      return pages.some((page) => page.docs.some((doc) => doc.id !== exceptId));
    }, this.deadlineMs);
  }

  isDeletedAddress(kind: 'hfn' | 'mfa', base: string): Promise<boolean> {
    return withFirestoreErrors(async () => {
      const page = await this.deleted
        .where(kind === 'hfn' ? 'asset._sys.hfn' : 'asset._sys.mfa', '==', base)
        .select()
        .limit(1)
        .get();
      return !page.empty;
    }, this.deadlineMs);
  }

  list(query: AssetListQuery): Promise<AssetPage> {
    return withFirestoreErrors(async () => {
      const plan = listPlan(query);
      // One more than the page tells whether a next page exists without a second query.
      const [count, page] = await Promise.all([this.countOf(countPlan(query)), this.pageOf(plan, query)]);
      const skipped = query.after ? 0 : Math.min(query.offset, count.count);
      return { total: count.count, ...page, documentsRead: page.documentsRead + skipped, aggregationReads: count.aggregationReads };
    }, this.deadlineMs);
  }

  readMatching(query: MatchQuery): Promise<MatchPage> {
    return withFirestoreErrors(async () => {
      const page = await this.pageOf(matchPlan(query), { offset: query.offset ?? 0, limit: query.limit, after: query.after });
      // An offset bills every skipped document; the page does not say how many there were.
      return { ...page, documentsRead: page.documentsRead + (query.after ? 0 : (query.offset ?? 0)) };
    }, this.deadlineMs);
  }

  countMatching(query: MatchFilters): Promise<MatchCount> {
    return withFirestoreErrors(() => this.countOf(matchPlan(query)), this.deadlineMs);
  }

  /** A page of a plan from a position or an offset, with one more read to tell whether more follow. */
  private async pageOf(plan: QueryPlan, at: { offset: number; limit: number; after?: PagePosition | undefined }): Promise<MatchPage> {
    // A position holds one value per order field and the document id; any other count is not one
    // this query wrote (Firestore would refuse the query itself).
    if (at.after && at.after.length !== plan.orderBy.length + 1) throw ValidationError.single('cursor', 'is not a cursor this API issued');
    const ordered = at.after ? this.queryOf(plan).startAfter(...at.after) : this.queryOf(plan).offset(at.offset);
    const page = await ordered.limit(at.limit + 1).get();
    const documents = page.docs.slice(0, at.limit);
    const last = documents[documents.length - 1];
    return {
      items: documents.map(storedAssetOfSnapshot),
      ...(page.docs.length > at.limit && last ? { next: positionOf(plan, last) } : {}),
      // An empty answer is billed one read.
      documentsRead: Math.max(page.docs.length, 1),
    };
  }

  private async countOf(plan: QueryPlan): Promise<MatchCount> {
    const count = (await this.queryOf(plan).count().get()).data().count;
    // A count bills one read per 1,000 index entries, at least one.
    return { count, aggregationReads: Math.max(1, Math.ceil(count / 1000)) };
  }

  /**
   * The Firestore query of a plan; the document id breaks ties in the last order's direction. Field
   * names are split into FieldPaths: a search term (`lov*`) is not a valid dotted path segment.
   */
  private queryOf(plan: QueryPlan): Query {
    let query: Query = this.assets;
    const path = (field: string) => new FieldPath(...field.split('.'));
    for (const clause of plan.filters) query = query.where(path(clause.field), clause.op, clause.value);
    for (const order of plan.orderBy) query = query.orderBy(path(order.field), order.direction);
    const last = plan.orderBy[plan.orderBy.length - 1];
    return last ? query.orderBy(FieldPath.documentId(), last.direction) : query;
  }

  /**
   * The live composites that name an asset (by its base HFN), read inside the caller's transaction.
   * Composites list their components as the old backend's letter-form addresses (`G.003.003.001`) in
   * `components` and their base HFNs in `_sys.components`; composites written before that shape
   * list the HFNs in `components`.
   */
  private async compositesNaming(transaction: Transaction, hfn: string, exceptId: string): Promise<QueryDocumentSnapshot[]> {
    const found = new Map<string, QueryDocumentSnapshot>();
    for (const field of ['components', '_sys.components']) {
      for (const doc of (await transaction.get(this.assets.where(field, 'array-contains', hfn))).docs) if (doc.id !== exceptId) found.set(doc.id, doc);
    }
    return [...found.values()];
  }

  /** The last number a counter gave out, read inside the caller's transaction. */
  private async lastSequence(transaction: Transaction, sequenceKey: string): Promise<{ last: number; counted: boolean }> {
    const counter = await transaction.get(this.sequences.doc(sequenceKey));
    if (counter.exists) return { last: counter.get('last') as number, counted: true };
    const prefix = `${sequenceKey}.`;
    const existing = await transaction.get(this.assets.where('name', '>=', prefix).where('name', '<', `${sequenceKey}/`).select('name'));
    return {
      last: highestSequence(
        existing.docs.map((snapshot) => snapshot.get('name') as string),
        prefix,
      ),
      counted: false,
    };
  }

  /**
   * Reads and advances a counter inside the caller's transaction; a path whose 999 numbers are all
   * given out refuses (the transaction then writes nothing).
   */
  private async nextSequence(transaction: Transaction, sequenceKey: string): Promise<number> {
    const next = (await this.lastSequence(transaction, sequenceKey)).last + 1;
    if (next > MAX_SEQUENCE) throw new SequenceExhaustedError(sequenceKey, MAX_SEQUENCE);
    this.journal?.given(this.collection, sequenceKey, next);
    transaction.set(this.sequences.doc(sequenceKey), { last: next });
    return next;
  }

  /**
   * Raises a counter to at least `atLeast` (never lowers it): the local stack's emulator may have
   * lost numbers it gave out. Returns the last number before and after.
   */
  raiseSequence(sequenceKey: string, atLeast: number): Promise<{ from: number; to: number }> {
    return this.transaction({ lock: sequenceKey }, async (transaction) => {
      const { last } = await this.lastSequence(transaction, sequenceKey);
      if (last < atLeast) transaction.set(this.sequences.doc(sequenceKey), { last: atLeast });
      return { from: last, to: Math.max(last, atLeast) };
    });
  }

  /**
   * A deleted asset's number must never be given out again. Registry-made assets always have a
   * counter; a legacy subcategory without one would count from the names still there, so the
   * counter is written now. Returns the write, to run after the transaction's other reads.
   */
  private async reserveSequence(transaction: Transaction, document: StoredAssetDocument): Promise<() => void> {
    const match = /^([A-Z0-9]+\.[A-Z0-9]+\.[A-Z0-9]+)\.(\d+)/i.exec(registryFieldsOf(document)?.hfn ?? document.name);
    if (!match) return () => undefined;
    const sequenceKey = registryFieldsOf(document)?.sequenceKey ?? match[1]!;
    const { last, counted } = await this.lastSequence(transaction, sequenceKey);
    if (counted) return () => undefined;
    return () => transaction.set(this.sequences.doc(sequenceKey), { last: Math.max(last, Number(match[2])) });
  }
}
