/**
 * Sequence counters: one document per layer/category/subcategory in `<assets>_sequences`, holding
 * the last number given out. Numbers are drawn inside the transaction that writes the asset, so a
 * number is used exactly when its asset committed.
 */
import type { CollectionReference, Firestore, Transaction } from '@google-cloud/firestore';
import { SequenceExhaustedError } from '../../domain/errors.js';
import { highestSequence, MAX_SEQUENCE } from '../../domain/naming.js';
import type { SequenceJournal } from '../../domain/ports/sequence-journal.js';
import { registryFieldsOf, type StoredAssetDocument } from '../../domain/stored-asset.js';
import { runTransactionWithin } from './deadline-transaction.js';
import { ASSET_FIELDS, COUNTER_LAST_FIELD, sequencesCollectionOf } from './stored-names.js';

/** Contention on one counter across instances is retried this often before the API answers 503. */
export const COUNTER_TRANSACTION_ATTEMPTS = 20;

export class SequenceCounters {
  private readonly counters: CollectionReference;
  private readonly assets: CollectionReference;

  constructor(
    db: Firestore,
    private readonly assetsCollection: string,
    /** The local stack's note of every number given out (its emulator can lose its last seconds). */
    private readonly journal?: SequenceJournal,
  ) {
    this.counters = db.collection(sequencesCollectionOf(assetsCollection));
    this.assets = db.collection(assetsCollection);
  }

  /** The last number a counter gave out, read inside the caller's transaction. */
  async last(transaction: Transaction, sequenceKey: string): Promise<{ last: number; counted: boolean }> {
    const counter = await transaction.get(this.counters.doc(sequenceKey));
    if (counter.exists) return { last: counter.get(COUNTER_LAST_FIELD) as number, counted: true };
    const prefix = `${sequenceKey}.`;
    const name = ASSET_FIELDS.name;
    const existing = await transaction.get(this.assets.where(name, '>=', prefix).where(name, '<', `${sequenceKey}/`).select(name));
    return {
      last: highestSequence(
        existing.docs.map((snapshot) => snapshot.get(name) as string),
        prefix,
      ),
      counted: false,
    };
  }

  /**
   * Reads and advances a counter inside the caller's transaction; a path whose 999 numbers are all
   * given out refuses (the transaction then writes nothing).
   */
  async next(transaction: Transaction, sequenceKey: string): Promise<number> {
    const next = (await this.last(transaction, sequenceKey)).last + 1;
    if (next > MAX_SEQUENCE) throw new SequenceExhaustedError(sequenceKey, MAX_SEQUENCE);
    this.journal?.given(this.assetsCollection, sequenceKey, next);
    this.set(transaction, sequenceKey, next);
    return next;
  }

  /**
   * A deleted asset's number must never be given out again. Registry-made assets always have a
   * counter; a legacy subcategory without one would count from the names still there, so the
   * counter is written now. Returns the write, to run after the transaction's other reads.
   */
  async reserveFor(transaction: Transaction, document: StoredAssetDocument): Promise<() => void> {
    const match = /^([A-Z0-9]+\.[A-Z0-9]+\.[A-Z0-9]+)\.(\d+)/i.exec(registryFieldsOf(document)?.hfn ?? document.name);
    if (!match) return () => undefined;
    const sequenceKey = registryFieldsOf(document)?.sequenceKey ?? match[1]!;
    const { last, counted } = await this.last(transaction, sequenceKey);
    if (counted) return () => undefined;
    return () => this.set(transaction, sequenceKey, Math.max(last, Number(match[2])));
  }

  private set(transaction: Transaction, sequenceKey: string, last: number): void {
    transaction.set(this.counters.doc(sequenceKey), { [COUNTER_LAST_FIELD]: last });
  }

  /**
   * Raises a counter to at least `atLeast` (never lowers it): the local stack's emulator may have
   * lost numbers it gave out. Returns the last number before and after.
   */
  static raise(db: Firestore, assetsCollection: string, deadlineMs: number, sequenceKey: string, atLeast: number): Promise<{ from: number; to: number }> {
    const counters = new SequenceCounters(db, assetsCollection);
    return runTransactionWithin(db, { deadlineMs, maxAttempts: COUNTER_TRANSACTION_ATTEMPTS }, async (transaction) => {
      const { last } = await counters.last(transaction, sequenceKey);
      if (last < atLeast) counters.set(transaction, sequenceKey, atLeast);
      return { from: last, to: Math.max(last, atLeast) };
    });
  }
}
