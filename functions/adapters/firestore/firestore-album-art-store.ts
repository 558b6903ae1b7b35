/** Album-art status changes on the asset document, in a transaction that refuses to go backwards. */
import type { CollectionReference, Firestore } from '@google-cloud/firestore';
import { transition } from '../../domain/album-art-status.js';
import type { AlbumArtChangeOutcome, AlbumArtStore } from '../../domain/ports/album-art-store.js';
import type { AlbumArt } from '../../domain/schemas/album-art.js';
import type { StatusChange } from '../../domain/album-art-status.js';
import { withFirestoreErrors } from './firestore-errors.js';
import { recordHistory } from './firestore-history.js';

export class FirestoreAlbumArtStore implements AlbumArtStore {
  private readonly assets: CollectionReference;

  constructor(db: Firestore, collection: string) {
    this.assets = db.collection(collection);
  }

  current(assetId: string): Promise<AlbumArt | undefined | null> {
    return withFirestoreErrors(async () => {
      const snapshot = await this.assets.doc(assetId).get();
      if (!snapshot.exists) return null;
      return snapshot.get('albumArt') as AlbumArt | undefined;
    });
  }

  change(assetId: string, build: (current: AlbumArt | undefined) => StatusChange): Promise<AlbumArtChangeOutcome> {
    return withFirestoreErrors(() =>
      this.assets.firestore.runTransaction(async (transaction) => {
        const reference = this.assets.doc(assetId);
        const snapshot = await transaction.get(reference);
        if (!snapshot.exists) return { applied: false, reason: 'missing-asset' } as const;
        const current = snapshot.get('albumArt') as AlbumArt | undefined;
        const outcome = transition(current, build(current));
        if (outcome.applied) {
          transaction.update(reference, { albumArt: outcome.albumArt });
          recordHistory(transaction, reference, { before: snapshot.data(), changedFields: ['albumArt'] }, { writer: 'variants', actor: null });
        }
        return outcome;
      }),
    );
  }
}
