/**
 * The importer's target in Firestore: the assets collection, its deleted assets and its sequence
 * counters (`<assets>_sequences/<L.CAT.SUB>`, the API's). Reads are by id (`getAll`) but for the one
 * pass over the names at the start; writes are one WriteBatch per commit, every write with a
 * precondition on the version read (create for a new document or counter), so an API write racing
 * the import is never overwritten: the commit is refused whole and the importer reads again.
 */
import type { DocumentData, DocumentSnapshot, Firestore, QueryDocumentSnapshot, Timestamp } from '@google-cloud/firestore';
import { deletedCollectionOf, sequencesCollectionOf } from '../../adapters/firestore/stored-names.js';
import type { HistoryRecorder } from '../../adapters/firestore/firestore-history.js';
import type { HistoryContext } from '../../domain/history-entry.js';
import { withFirestoreErrors, withFirestoreWrite } from '../../adapters/firestore/firestore-errors.js';
import { isPreconditionFailure, updateArguments, withRetries } from '../../adapters/firestore/firestore-writes.js';
import { hasGrpcStatus } from '../../adapters/firestore/grpc-status.js';
import { nameKeyOf, type LegacyDocument } from '../legacy-asset.js';
import type { Counter, ImportTarget, TargetDocument, TargetName, TargetWrite, Version } from '../ports.js';

function versionOf(snapshot: DocumentSnapshot): Version | undefined {
  return snapshot.exists ? (snapshot.updateTime as unknown as Version) : undefined;
}

function timestampOf(version: Version): Timestamp {
  return version as unknown as Timestamp;
}

export class FirestoreImportTarget implements ImportTarget {
  private reads = 0;

  constructor(
    private readonly db: Firestore,
    private readonly assetsCollection: string,
    private readonly history: HistoryContext,
    private readonly historyRecorder: HistoryRecorder,
    /** How long one read or commit may take: the client retries an unreachable database for as long as it takes, the import must not. */
    private readonly deadlineMs: number,
  ) {}

  get documentsRead(): number {
    return this.reads;
  }

  private get assets() {
    return this.db.collection(this.assetsCollection);
  }

  async *names(): AsyncIterable<TargetName> {
    // Only the name fields travel: one streamed pass, whatever the collection's size.
    const query = this.assets.select('name', '_sys.hfn', '_sys.imported.importedAt');
    const stream = query.stream()[Symbol.asyncIterator]();
    for (;;) {
      // Each document of the pass within the deadline, not the whole pass: its length grows with the collection.
      const next = await withFirestoreErrors(() => stream.next() as Promise<IteratorResult<unknown>>, this.deadlineMs);
      if (next.done) return;
      const snapshot = next.value as QueryDocumentSnapshot;
      this.reads++;
      yield {
        id: snapshot.id,
        nameKey: nameKeyOf({ name: snapshot.get('name'), hfn: snapshot.get('_sys.hfn') }),
        imported: snapshot.get('_sys.imported.importedAt') !== undefined,
      };
    }
  }

  async read(ids: string[]): Promise<TargetDocument[]> {
    if (ids.length === 0) return [];
    const deleted = this.db.collection(deletedCollectionOf(this.assetsCollection));
    const snapshots = await withFirestoreErrors(
      () => withRetries(() => this.db.getAll(...ids.map((id) => this.assets.doc(id)), ...ids.map((id) => deleted.doc(id)))),
      this.deadlineMs,
    );
    this.reads += snapshots.length;
    return ids.map((id, index) => {
      const snapshot = snapshots[index]!;
      return { id, data: snapshot.data() as LegacyDocument | undefined, version: versionOf(snapshot), deletedHere: snapshots[ids.length + index]!.exists };
    });
  }

  async readCounters(keys: string[]): Promise<Counter[]> {
    if (keys.length === 0) return [];
    const sequences = this.db.collection(sequencesCollectionOf(this.assetsCollection));
    const snapshots = await withFirestoreErrors(() => withRetries(() => this.db.getAll(...keys.map((key) => sequences.doc(key)))), this.deadlineMs);
    this.reads += snapshots.length;
    return keys.map((key, index) => {
      const snapshot = snapshots[index]!;
      const last: unknown = snapshot.get('last');
      return { key, last: typeof last === 'number' ? last : 0, version: versionOf(snapshot) };
    });
  }

  async commit(writes: TargetWrite[], counters: Counter[]): Promise<{ counters: Counter[] } | 'stale' | { refused: string }> {
    const batch = this.db.batch();
    for (const { before, after } of writes) {
      const reference = this.assets.doc(before.id);
      if (before.data === undefined || before.version === undefined) batch.create(reference, after as DocumentData);
      else {
        const [field, value, ...rest] = updateArguments(before.data, after);
        batch.update(reference, field as string, value, ...rest, { lastUpdateTime: timestampOf(before.version) });
      }
      // The import's history entry joins its write: a re-import that overwrites a changed asset keeps its before-image.
      this.historyRecorder.record(batch, reference, { before: before.data, after }, this.history);
    }
    const sequences = this.db.collection(sequencesCollectionOf(this.assetsCollection));
    for (const counter of counters) {
      const reference = sequences.doc(counter.key);
      if (counter.version === undefined) batch.create(reference, { last: counter.last });
      else batch.update(reference, { last: counter.last }, { lastUpdateTime: timestampOf(counter.version) });
    }
    try {
      // Past the deadline the commit's outcome is unknown: the run stops, and the next run reads what landed.
      const results = await withFirestoreWrite(() => withRetries(() => batch.commit()), this.deadlineMs);
      // Counters are the last writes of the commit; their write times are their new versions.
      const first = results.length - counters.length;
      return { counters: counters.map((counter, index) => ({ ...counter, version: results[first + index]!.writeTime as unknown as Version })) };
    } catch (error) {
      // A document or counter changed (or appeared) since it was read: nothing was written.
      if (isPreconditionFailure(error) || hasGrpcStatus(error, ['ALREADY_EXISTS'])) return 'stale';
      // A document Firestore cannot store: the emulator answers UNKNOWN, production INVALID_ARGUMENT.
      if (hasGrpcStatus(error, ['UNKNOWN', 'INVALID_ARGUMENT'])) return { refused: (error as Error).message };
      throw error;
    }
  }
}
