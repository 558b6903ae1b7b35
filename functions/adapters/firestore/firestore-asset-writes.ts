/**
 * Writes of live assets in Firestore: one document per asset in the assets collection, each write
 * one transaction with its history entry, its sequence numbers (firestore-sequence-counters.ts) and
 * its outbox messages. A soft delete moves the document into the deleted assets and restore moves it
 * back. Every write runs through `transaction`, which tells the write listener when it has finished.
 */
import { FieldValue, type CollectionReference, type DocumentData, type Firestore, type QueryDocumentSnapshot, type Transaction } from '@google-cloud/firestore';
import { isStorableDocumentId } from '../../domain/asset-id.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { HistoryContext } from '../../domain/history-entry.js';
import type { AssetWriteListener, AssetWrites, OutboxWrites, SequenceAllocator, SoftDeleteRequest } from '../../domain/ports/asset-writes.js';
import type { DeletedAsset } from '../../domain/ports/deleted-assets.js';
import type { WriteFence } from '../../domain/ports/idempotency-store.js';
import type { SequenceJournal } from '../../domain/ports/sequence-journal.js';
import { registryFieldsOf, type StoredAsset, type StoredAssetDocument } from '../../domain/stored-asset.js';
import { KeyedMutex } from '../../platform/keyed-mutex.js';
import { runTransactionWithin } from './deadline-transaction.js';
import { deletedRecordOf, toDeletedAsset, toStoredAsset } from './firestore-asset-records.js';
import type { HistoryRecorder } from './firestore-history.js';
import { fenceInTransaction } from './firestore-idempotency-store.js';
import { COUNTER_TRANSACTION_ATTEMPTS, SequenceCounters } from './firestore-sequence-counters.js';
import { ASSET_FIELDS, DELETED_FIELDS, deletedCollectionOf, OUTBOX_COLLECTION } from './stored-names.js';

export interface FirestoreAssetWritesOptions {
  /** How long one write may wait for Firestore before the API answers 503. */
  deadlineMs: number;
  /** Records each write's history entry in its transaction. */
  historyRecorder: HistoryRecorder;
  /** The local stack's note of every number given out (its emulator can lose its last seconds). */
  journal?: SequenceJournal | undefined;
  /** Hears every write once it has finished, committed or not. */
  onWrite?: AssetWriteListener | undefined;
}

export class FirestoreAssetWrites implements AssetWrites {
  private readonly assets: CollectionReference;
  private readonly outbox: CollectionReference;
  /** Deleted assets within their retention: out of every query on the assets collection. */
  private readonly deleted: CollectionReference;
  private readonly counters: SequenceCounters;
  private readonly counterLocks = new KeyedMutex();

  constructor(
    private readonly db: Firestore,
    collection: string,
    private readonly options: FirestoreAssetWritesOptions,
  ) {
    this.assets = db.collection(collection);
    this.outbox = db.collection(OUTBOX_COLLECTION);
    this.deleted = db.collection(deletedCollectionOf(collection));
    this.counters = new SequenceCounters(db, collection, options.journal);
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
      const sequence = await this.counters.next(transaction, sequenceKey);
      const reference = this.assets.doc();
      const document = build(sequence);
      transaction.create(reference, document);
      this.options.historyRecorder.record(transaction, reference, { after: document }, history);
      this.addOutbox(transaction, { id: reference.id, document }, outbox);
      fenced?.record(reference.id);
      return { id: reference.id, document };
    });
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
      const document = await change(toStoredAsset(id, snapshot.data()!), (key) => this.counters.next(transaction, key));
      transaction.set(reference, document);
      this.options.historyRecorder.record(transaction, reference, { before: snapshot.data(), after: document }, history);
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
      this.options.historyRecorder.record(transaction, reference, { before: snapshot.data() }, history);
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
          composites.map((doc) => ({ path: 'composites', issue: `${String(doc.get(ASSET_FIELDS.name))} (id ${doc.id}) names ${hfn}` })),
        );
      }
      const reserveSequence = await this.counters.reserveFor(transaction, current.document);
      // Writes only from here: a transaction reads everything first.
      reserveSequence();
      const history: HistoryContext = { writer: 'delete', actor: request.deletedBy };
      for (const composite of composites) {
        const deletedComponents = [...new Set([...this.deletedComponentsOf(composite), hfn])];
        transaction.update(composite.ref, { [ASSET_FIELDS.deletedComponents]: deletedComponents });
        this.options.historyRecorder.record(
          transaction,
          composite.ref,
          { before: composite.data(), changedFields: [ASSET_FIELDS.deletedComponents] },
          history,
          request.now,
        );
      }
      const record = deletedRecordOf({
        asset: snapshot.data()!,
        deletedBy: request.deletedBy,
        reason: request.reason,
        now: request.now,
        purgeAt: request.purgeAt,
        forcedComposites: composites.map((doc) => doc.id),
      });
      transaction.set(this.deleted.doc(id), record);
      transaction.delete(reference);
      this.options.historyRecorder.record(transaction, reference, { before: snapshot.data() }, history, request.now);
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
      const data = tombstone.get(DELETED_FIELDS.asset) as DocumentData;
      transaction.create(reference, data);
      transaction.delete(tombstone.ref);
      this.options.historyRecorder.record(transaction, reference, { after: data }, history, now);
      for (const composite of composites) {
        if (!composite.exists) continue;
        const remaining = this.deletedComponentsOf(composite).filter((name) => name !== hfn);
        transaction.update(composite.ref, { [ASSET_FIELDS.deletedComponents]: remaining.length > 0 ? remaining : FieldValue.delete() });
        this.options.historyRecorder.record(
          transaction,
          composite.ref,
          { before: composite.data(), changedFields: [ASSET_FIELDS.deletedComponents] },
          history,
          now,
        );
      }
      return toStoredAsset(id, data);
    });
  }

  /**
   * A transaction within the deadline (deadline-transaction.ts): never committed after the API has
   * answered 503; creates in one subcategory queue for its counter within the instance. The write
   * listener hears it once it has finished, whatever its outcome.
   */
  private async transaction<T>(options: { lock?: string }, body: (transaction: Transaction) => Promise<T>): Promise<T> {
    try {
      return await runTransactionWithin(
        this.db,
        {
          deadlineMs: this.options.deadlineMs,
          maxAttempts: COUNTER_TRANSACTION_ATTEMPTS,
          ...(options.lock !== undefined ? { lock: { mutex: this.counterLocks, key: options.lock } } : {}),
        },
        body,
      );
    } finally {
      this.options.onWrite?.();
    }
  }

  /** The asset an earlier attempt of the same fenced request wrote: returned, not written again. */
  private async writtenBefore(transaction: Transaction, id: string): Promise<StoredAsset> {
    const snapshot = await transaction.get(this.assets.doc(id));
    if (!snapshot.exists) throw new NotFoundError(`Asset ${id}, written by this request, no longer exists`);
    return toStoredAsset(id, snapshot.data()!);
  }

  /** The outbox entries of a write join its transaction: both commit or neither does. */
  private addOutbox(transaction: Transaction, written: StoredAsset, outbox: OutboxWrites | undefined): void {
    for (const message of outbox?.(written) ?? []) transaction.set(this.outbox.doc(message.id), message);
  }

  private deletedComponentsOf(composite: { get(field: string): unknown }): string[] {
    return (composite.get(ASSET_FIELDS.deletedComponents) as string[] | undefined) ?? [];
  }

  /**
   * The live composites that name an asset (by its base HFN), read inside the caller's transaction.
   * Composites list their components as the old backend's letter-form addresses (`G.003.003.001`) in
   * `components` and their base HFNs in `_sys.components`; composites written before that shape
   * list the HFNs in `components`.
   */
  private async compositesNaming(transaction: Transaction, hfn: string, exceptId: string): Promise<QueryDocumentSnapshot[]> {
    const found = new Map<string, QueryDocumentSnapshot>();
    for (const field of [ASSET_FIELDS.components, ASSET_FIELDS.componentHfns]) {
      for (const doc of (await transaction.get(this.assets.where(field, 'array-contains', hfn))).docs) if (doc.id !== exceptId) found.set(doc.id, doc);
    }
    return [...found.values()];
  }
}
