/** The outbox in Firestore: one document per message, keyed by the message id (the job id). */
import type { CollectionReference, Firestore } from '@google-cloud/firestore';
import type { OutboxMessage, OutboxStore } from '../../domain/ports/outbox.js';
import { withFirestoreErrors } from '../../adapters/firestore/firestore-errors.js';
import { OUTBOX_COLLECTION } from '../../adapters/firestore/stored-names.js';

export class FirestoreOutbox implements OutboxStore {
  private readonly collection: CollectionReference;

  constructor(
    db: Firestore,
    private readonly deadlineMs?: number,
  ) {
    this.collection = db.collection(OUTBOX_COLLECTION);
  }

  olderThan(before: string, limit: number): Promise<OutboxMessage[]> {
    return withFirestoreErrors(async () => {
      const page = await this.collection.where('createdAt', '<', before).orderBy('createdAt').limit(limit).get();
      return page.docs.map((snapshot) => snapshot.data() as OutboxMessage);
    }, this.deadlineMs);
  }

  remove(id: string): Promise<void> {
    return withFirestoreErrors(async () => {
      await this.collection.doc(id).delete();
    }, this.deadlineMs);
  }
}
