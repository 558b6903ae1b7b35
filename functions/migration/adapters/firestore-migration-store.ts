/**
 * The migration runner's store in Firestore: the assets collection read in document-id order and
 * written in batches whose every update carries a precondition on the updateTime it was read at,
 * and the backups of a run (adapters: backup-store.ts). Documents cross to the runner as plain
 * documents, and back as Firestore values.
 */
import { Timestamp, type CollectionReference, type DocumentSnapshot, type Firestore, type WriteBatch } from '@google-cloud/firestore';
import type { PlainDocument } from '../../domain/plain-document.js';
import { plainDocumentOf, storedDocumentOf } from '../../adapters/firestore/firestore-values.js';
import { isPreconditionFailure, readPage, streamPages, updateArguments, withRetries } from '../../adapters/firestore/firestore-writes.js';
import type { BackupEntry, Backups, BackupTarget, DocumentWrite, MigrationStore, StoredDocument } from '../ports.js';
import { openBackupStore, type BackupStore } from './backup-store.js';

const MAX_WRITES_PER_COMMIT = 500;

/** Who runs the migration and how long its history backups are kept. */
export interface MigrationStoreContext {
  migrationId: string;
  operator: string;
  /** History entries expire (Firestore TTL on `expireAt`) after this many days. */
  retentionDays: number;
}

function versionOf(time: Timestamp): string {
  return `${time.seconds}.${String(time.nanoseconds).padStart(9, '0')}`;
}

function timeOf(version: string): Timestamp {
  const [seconds, nanoseconds] = version.split('.');
  return new Timestamp(Number(seconds), Number(nanoseconds));
}

function storedOf(snapshot: DocumentSnapshot): StoredDocument {
  const data = snapshot.data();
  return {
    id: snapshot.id,
    data: data === undefined ? undefined : plainDocumentOf(data),
    version: snapshot.updateTime ? versionOf(snapshot.updateTime) : undefined,
  };
}

export class FirestoreMigrationStore implements MigrationStore {
  constructor(
    private readonly db: Firestore,
    private readonly assets: CollectionReference,
    private readonly context: MigrationStoreContext,
  ) {}

  async count(): Promise<number> {
    return (await withRetries(() => this.assets.count().get())).data().count;
  }

  async *stream(cursor: string | null, size: number, limit: number | undefined): AsyncIterable<StoredDocument[]> {
    for await (const page of streamPages(this.assets, cursor, size, limit)) yield page.map(storedOf);
  }

  async page(cursor: string | null, size: number): Promise<StoredDocument[]> {
    return (await readPage(this.assets, cursor, size)).docs.map(storedOf);
  }

  async read(ids: readonly string[]): Promise<StoredDocument[]> {
    if (ids.length === 0) return [];
    const snapshots = await withRetries(() => this.db.getAll(...ids.map((id) => this.assets.doc(id))));
    return snapshots.map(storedOf);
  }

  commit(writes: readonly DocumentWrite[]): Promise<boolean> {
    const batch = this.db.batch();
    for (const write of writes) this.add(batch, write);
    return this.send(batch);
  }

  openBackups(target: BackupTarget, generation: string): Backups {
    const store = openBackupStore(this.db, target, { ...this.context, generation });
    return new FirestoreBackups(this, store);
  }

  /** Adds one write to a batch: an update of the changed fields with its precondition, or the whole document. */
  add(batch: WriteBatch, write: DocumentWrite): void {
    const reference = this.assets.doc(write.id);
    if (write.version === undefined) {
      batch.set(reference, storedDocumentOf(write.after, this.db));
      return;
    }
    // Only the changed fields are decoded: the update replaces those and no other.
    const [field, value, ...rest] = updateArguments({}, this.rawFields(write.after, write.changed), write.changed);
    batch.update(reference, field as string, value, ...rest, { lastUpdateTime: timeOf(write.version) });
  }

  /** Commits; false when a precondition failed (nothing was written). */
  async send(batch: WriteBatch): Promise<boolean> {
    try {
      await withRetries(() => batch.commit());
      return true;
    } catch (error) {
      if (isPreconditionFailure(error)) return false;
      throw error;
    }
  }

  newBatch(): WriteBatch {
    return this.db.batch();
  }

  private rawFields(document: PlainDocument, fields: readonly string[]): Record<string, unknown> {
    const subset: PlainDocument = {};
    for (const field of fields) if (field in document) subset[field] = document[field];
    return storedDocumentOf(subset, this.db);
  }
}

class FirestoreBackups implements Backups {
  readonly target: BackupTarget;
  readonly documentsPerCommit: number;

  constructor(
    private readonly store: FirestoreMigrationStore,
    private readonly backups: BackupStore,
  ) {
    this.target = backups.target;
    this.documentsPerCommit = Math.floor(MAX_WRITES_PER_COMMIT / backups.writesPerDocument);
  }

  async commit(writes: readonly DocumentWrite[]): Promise<{ conflict: boolean; unsaved: string[] }> {
    const batch = this.store.newBatch();
    const unsaved = await this.backups.save(
      batch,
      writes.map((write) => ({ id: write.id, data: write.before, changedFields: write.changed })),
    );
    const refused = new Set(unsaved);
    for (const write of writes) if (!refused.has(write.id)) this.store.add(batch, write);
    return { conflict: !(await this.store.send(batch)), unsaved };
  }

  pages(size: number): AsyncIterable<BackupEntry[]> {
    return this.backups.pages(size);
  }

  close(): Promise<void> {
    return this.backups.close();
  }
}
