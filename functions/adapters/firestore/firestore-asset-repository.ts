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
  type Transaction,
} from '@google-cloud/firestore';
import { NotFoundError } from '../../domain/errors.js';
import type { AssetListQuery, AssetPage, AssetRepository, SequenceAllocator } from '../../domain/ports/asset-repository.js';
import type { StoredAsset, StoredAssetDocument } from '../../domain/stored-asset.js';
import { KeyedMutex } from '../../platform/keyed-mutex.js';
import { withFirestoreErrors } from './firestore-errors.js';

/** Contention on one counter across instances is retried this often before the API answers 503. */
const TRANSACTION_ATTEMPTS = 20;

/** Old documents may hold Firestore Timestamps; clients have always read ISO strings. */
function fromFirestore(value: unknown): unknown {
  if (value instanceof Timestamp) return value.toDate().toISOString();
  if (Array.isArray(value)) return value.map(fromFirestore);
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) result[key] = fromFirestore(entry);
    return result;
  }
  return value;
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

  constructor(
    private readonly db: Firestore,
    collection: string,
    /** How long one repository operation may wait for Firestore before the API answers 503. */
    private readonly deadlineMs: number,
  ) {
    this.assets = db.collection(collection);
    this.sequences = db.collection(`${collection}_sequences`);
  }

  get(id: string): Promise<StoredAsset | undefined> {
    return withFirestoreErrors(async () => {
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

  create(sequenceKey: string, build: (sequence: number) => StoredAssetDocument): Promise<StoredAsset> {
    return withFirestoreErrors(() =>
      this.counterLocks.run(sequenceKey, () =>
        this.db.runTransaction(
          async (transaction) => {
            const sequence = await this.nextSequence(transaction, sequenceKey);
            const reference = this.assets.doc();
            const document = build(sequence);
            transaction.create(reference, document);
            return { id: reference.id, document };
          },
          { maxAttempts: TRANSACTION_ATTEMPTS },
        ),
      ), this.deadlineMs);
  }

  update(id: string, change: (current: StoredAsset, allocate: SequenceAllocator) => Promise<StoredAssetDocument>): Promise<StoredAsset> {
    return withFirestoreErrors(() =>
      this.db.runTransaction(
        async (transaction) => {
          const reference = this.assets.doc(id);
          const snapshot = await transaction.get(reference);
          if (!snapshot.exists) throw new NotFoundError(`Asset ${id} does not exist`);
          const document = await change(toStoredAsset(id, snapshot.data()!), (key) => this.nextSequence(transaction, key));
          transaction.set(reference, document);
          return { id, document };
        },
        { maxAttempts: TRANSACTION_ATTEMPTS },
      ), this.deadlineMs);
  }

  delete(id: string, check: (current: StoredAsset) => void): Promise<void> {
    return withFirestoreErrors(() =>
      this.db.runTransaction(async (transaction) => {
        const reference = this.assets.doc(id);
        const snapshot = await transaction.get(reference);
        if (!snapshot.exists) throw new NotFoundError(`Asset ${id} does not exist`);
        check(toStoredAsset(id, snapshot.data()!));
        transaction.delete(reference);
      }), this.deadlineMs);
  }

  list(query: AssetListQuery): Promise<AssetPage> {
    return withFirestoreErrors(async () => {
      let filtered: Query = this.assets;
      if (query.layer) filtered = filtered.where('layer', '==', query.layer);
      if (query.categoryCode) filtered = filtered.where('categoryCode', '==', query.categoryCode);
      if (query.subcategoryCode) filtered = filtered.where('subcategoryCode', '==', query.subcategoryCode);
      if (query.status) filtered = filtered.where('status', '==', query.status);
      if (query.tags && query.tags.length > 0) filtered = filtered.where('tags', 'array-contains-any', query.tags);
      if (query.createdFrom) filtered = filtered.where('createdAt', '>=', query.createdFrom);
      if (query.createdTo) filtered = filtered.where('createdAt', '<=', query.createdTo);
      const ordered = filtered.orderBy(query.sortBy, query.sortOrder).orderBy(FieldPath.documentId(), query.sortOrder);
      const [count, page] = await Promise.all([
        filtered.count().get(),
        ordered.offset(query.offset).limit(query.limit).get(),
      ]);
      return {
        total: count.data().count,
        items: page.docs.map((snapshot) => toStoredAsset(snapshot.id, snapshot.data())),
      };
    }, this.deadlineMs);
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
