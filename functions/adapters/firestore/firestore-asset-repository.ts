/**
 * Assets in Firestore: one document per asset in the assets collection, one counter document per
 * layer/category/subcategory in `sequences`.
 */
import {
  FieldPath,
  Timestamp,
  type CollectionReference,
  type DocumentData,
  type Firestore,
  type Query,
  type QueryDocumentSnapshot,
  type Transaction,
} from '@google-cloud/firestore';
import { isStorableDocumentId } from '../../domain/asset-id.js';
import { NotFoundError } from '../../domain/errors.js';
import type {
  AssetListQuery,
  AssetPage,
  AssetRepository,
  AssetSearchQuery,
  OutboxWrites,
  PagePosition,
  SearchCandidates,
  SequenceAllocator,
} from '../../domain/ports/asset-repository.js';
import type { StoredAsset, StoredAssetDocument } from '../../domain/stored-asset.js';
import { KeyedMutex } from '../../platform/keyed-mutex.js';
import { countPlan, listPlan, searchPlan, type QueryPlan } from './asset-query-plan.js';
import { withFirestoreErrors } from './firestore-errors.js';
import { OUTBOX_COLLECTION } from '../../album-art/index.js';

/** Contention on one counter across instances is retried this often before the API answers 503. */
const TRANSACTION_ATTEMPTS = 20;

/** Old documents may hold Firestore Timestamps; clients have always read ISO strings. */
export function fromFirestore(value: unknown): unknown {
  if (value instanceof Timestamp) return value.toDate().toISOString();
  if (Array.isArray(value)) return value.map(fromFirestore);
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) result[key] = fromFirestore(entry);
    return result;
  }
  return value;
}

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

/** The highest sequence already used under an HFN prefix, for subcategories that predate counters. */
function highestSequence(names: string[], prefix: string): number {
  let highest = 0;
  for (const name of names) {
    const match = /^(\d+)/.exec(name.slice(prefix.length));
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return highest;
}

export class FirestoreAssetRepository implements AssetRepository {
  private readonly assets: CollectionReference;
  private readonly sequences: CollectionReference;
  private readonly counterLocks = new KeyedMutex();
  private readonly outbox: CollectionReference;

  constructor(
    private readonly db: Firestore,
    collection: string,
    /** How long one repository operation may wait for Firestore before the API answers 503. */
    private readonly deadlineMs: number,
  ) {
    this.assets = db.collection(collection);
    this.sequences = db.collection(`${collection}_sequences`);
    this.outbox = db.collection(OUTBOX_COLLECTION);
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

  create(sequenceKey: string, build: (sequence: number) => StoredAssetDocument, outbox?: OutboxWrites): Promise<StoredAsset> {
    return withFirestoreErrors(() =>
      this.counterLocks.run(sequenceKey, () =>
        this.db.runTransaction(
          async (transaction) => {
            const sequence = await this.nextSequence(transaction, sequenceKey);
            const reference = this.assets.doc();
            const document = build(sequence);
            transaction.create(reference, document);
            this.addOutbox(transaction, { id: reference.id, document }, outbox);
            return { id: reference.id, document };
          },
          { maxAttempts: TRANSACTION_ATTEMPTS },
        ),
      ), this.deadlineMs);
  }

  update(
    id: string,
    change: (current: StoredAsset, allocate: SequenceAllocator) => Promise<StoredAssetDocument>,
    outbox?: OutboxWrites,
  ): Promise<StoredAsset> {
    return withFirestoreErrors(() =>
      this.db.runTransaction(
        async (transaction) => {
          if (!isStorableDocumentId(id)) throw new NotFoundError(`Asset ${id} does not exist`);
          const reference = this.assets.doc(id);
          const snapshot = await transaction.get(reference);
          if (!snapshot.exists) throw new NotFoundError(`Asset ${id} does not exist`);
          const document = await change(toStoredAsset(id, snapshot.data()!), (key) => this.nextSequence(transaction, key));
          transaction.set(reference, document);
          this.addOutbox(transaction, { id, document }, outbox);
          return { id, document };
        },
        { maxAttempts: TRANSACTION_ATTEMPTS },
      ), this.deadlineMs);
  }

  delete(id: string, check: (current: StoredAsset) => void): Promise<void> {
    return withFirestoreErrors(() =>
      this.db.runTransaction(async (transaction) => {
        if (!isStorableDocumentId(id)) throw new NotFoundError(`Asset ${id} does not exist`);
        const reference = this.assets.doc(id);
        const snapshot = await transaction.get(reference);
        if (!snapshot.exists) throw new NotFoundError(`Asset ${id} does not exist`);
        check(toStoredAsset(id, snapshot.data()!));
        transaction.delete(reference);
      }), this.deadlineMs);
  }

  list(query: AssetListQuery): Promise<AssetPage> {
    return withFirestoreErrors(async () => {
      const plan = listPlan(query);
      let ordered = this.queryOf(plan);
      ordered = query.after ? ordered.startAfter(...query.after) : ordered.offset(query.offset);
      // One more than the page tells whether a next page exists without a second query.
      const [count, page] = await Promise.all([this.queryOf(countPlan(query)).count().get(), ordered.limit(query.limit + 1).get()]);
      const total = count.data().count;
      const documents = page.docs.slice(0, query.limit);
      const last = documents[documents.length - 1];
      const skipped = query.after ? 0 : Math.min(query.offset, total);
      return {
        total,
        items: documents.map((snapshot) => toStoredAsset(snapshot.id, snapshot.data())),
        ...(page.docs.length > query.limit && last ? { next: positionOf(plan, last) } : {}),
        // A count bills one read per 1,000 index entries (at least one); an empty result one read.
        documentsRead: Math.max(page.docs.length, 1) + skipped + Math.max(1, Math.ceil(total / 1000)),
      };
    }, this.deadlineMs);
  }

  searchCandidates(query: AssetSearchQuery): Promise<SearchCandidates> {
    return withFirestoreErrors(async () => {
      const page = await this.queryOf(searchPlan(query)).limit(query.limit + 1).get();
      const documents = page.docs.slice(0, query.limit);
      return {
        items: documents.map((snapshot) => toStoredAsset(snapshot.id, snapshot.data())),
        capped: page.docs.length > query.limit,
        documentsRead: Math.max(page.docs.length, 1),
      };
    }, this.deadlineMs);
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

  /** Reads and advances a counter inside the caller's transaction. */
  private async nextSequence(transaction: Transaction, sequenceKey: string): Promise<number> {
    const counterRef = this.sequences.doc(sequenceKey);
    const counter = await transaction.get(counterRef);
    let last: number;
    if (counter.exists) {
      last = counter.get('last') as number;
    } else {
      const prefix = `${sequenceKey}.`;
      const existing = await transaction.get(
        this.assets.where('name', '>=', prefix).where('name', '<', `${sequenceKey}/`).select('name'),
      );
      last = highestSequence(existing.docs.map((snapshot) => snapshot.get('name') as string), prefix);
    }
    const next = last + 1;
    transaction.set(counterRef, { last: next });
    return next;
  }
}
