/**
 * Album art on the asset document. Writes are optimistic: read, decide, then update with the read's
 * update time as a precondition, and decide again on a conflict. Unlike a transaction this takes no
 * lock, so ten simultaneous deliveries of one job cost two round trips each instead of queueing.
 * Each write commits with its history entry in one batch (the writer is the function using the store).
 */
import type { CollectionReference, DocumentSnapshot, Firestore } from '@google-cloud/firestore';
import type { AlbumArt } from '../../domain/schemas/album-art.js';
import { withFirestoreErrors } from '../../adapters/firestore/firestore-errors.js';
import { hasGrpcStatus } from '../../adapters/firestore/grpc-status.js';
import type { HistoryRecorder } from '../../adapters/firestore/firestore-history.js';
import type { StatusChange } from '../album-art-status.js';
import { changeThroughUpdate } from '../status-change.js';
import type { AlbumArtChangeOutcome, AlbumArtDecision, AlbumArtStore } from '../ports/album-art-store.js';

/** Conflicts needing more rounds than this mean a runaway writer; the caller's retry takes over. */
const MAX_ROUNDS = 50;

export class FirestoreAlbumArtStore implements AlbumArtStore {
  private readonly assets: CollectionReference;

  constructor(
    private readonly db: Firestore,
    collection: string,
    private readonly writer: 'album-art' | 'variants',
    private readonly historyRecorder: HistoryRecorder,
    private readonly deadlineMs?: number,
  ) {
    this.assets = db.collection(collection);
  }

  current(assetId: string): Promise<AlbumArt | undefined | null> {
    return withFirestoreErrors(async () => {
      const snapshot = await this.assets.doc(assetId).get();
      if (!snapshot.exists) return null;
      return snapshot.get('albumArt') as AlbumArt | undefined;
    }, this.deadlineMs);
  }

  change(assetId: string, build: (current: AlbumArt | undefined) => StatusChange): Promise<AlbumArtChangeOutcome> {
    return changeThroughUpdate(this, assetId, build);
  }

  update<T>(assetId: string, decide: (current: AlbumArt | undefined) => AlbumArtDecision<T>): Promise<T | null> {
    const reference = this.assets.doc(assetId);
    return withFirestoreErrors(async () => {
      for (let round = 1; ; round++) {
        const snapshot: DocumentSnapshot = await reference.get();
        if (!snapshot.exists) return null;
        const decision = decide(snapshot.get('albumArt') as AlbumArt | undefined);
        if (!decision.write) return decision.result;
        try {
          const batch = this.db.batch();
          batch.update(reference, { albumArt: decision.write }, { lastUpdateTime: snapshot.updateTime! });
          this.historyRecorder.record(batch, reference, { before: snapshot.data(), changedFields: ['albumArt'] }, { writer: this.writer, actor: null });
          await batch.commit();
          return decision.result;
        } catch (error) {
          if (!hasGrpcStatus(error, ['FAILED_PRECONDITION']) || round >= MAX_ROUNDS) throw error;
          // Another writer came first: decide again on what it wrote.
        }
      }
    }, this.deadlineMs);
  }

  waitingFor(sha256: string): Promise<string[]> {
    return withFirestoreErrors(async () => {
      // Equality on two fields is served by the single-field indexes (no composite index needed).
      const page = await this.assets.where('albumArt.sha256', '==', sha256).where('albumArt.status', '==', 'stored').select().get();
      return page.docs.map((snapshot) => snapshot.id);
    }, this.deadlineMs);
  }
}
