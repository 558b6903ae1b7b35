/**
 * What the migration runner (apply, rollback, verify) needs of the migrated collection and of the
 * backups, as plain documents (domain/plain-document.ts). The Firestore adapter is
 * migration/adapters/firestore-migration-store.ts; scripts/migrate.ts wires it.
 */
import type { PlainDocument } from '../domain/plain-document.js';

/** A document as read: its data (undefined once it no longer exists) and its version, the write precondition. */
export interface StoredDocument {
  id: string;
  data: PlainDocument | undefined;
  /** Opaque: equal versions mean the document has not changed in between. Undefined when it does not exist. */
  version: string | undefined;
}

/** A write of one document from `before` (what was read) to `after`, replacing the top-level fields in `changed`. */
export interface DocumentWrite {
  id: string;
  /** Written only while the document is still at this version; absent: written whole, whatever is stored (a forced restore). */
  version?: string | undefined;
  before: PlainDocument;
  after: PlainDocument;
  changed: string[];
}

/** Where originals are saved. `history`: path is the assets collection whose documents carry the entries. */
export type BackupTarget = { kind: 'history'; path: string } | { kind: 'file'; path: string };

export interface BackupEntry {
  id: string;
  /** The original: the whole document, or (scope `changed-fields`) only the changed fields it had. */
  data: PlainDocument;
  /** The top-level fields the migration changes (the history entry's `changedFields`). */
  changedFields: string[];
  /**
   * `document` unless the history entry had to keep only the changed fields (a document past the
   * history before-image cap): then rollback restores those fields and leaves the others as they are.
   */
  scope: 'document' | 'changed-fields';
}

/** The backups of one apply (its generation), and the writes that need them. */
export interface Backups {
  readonly target: BackupTarget;
  /** Documents one commit may hold with their backups. */
  readonly documentsPerCommit: number;
  /**
   * Writes the migrated documents and their originals in one atomic commit (a history entry in the
   * same commit, or a file line synced before it). `conflict`: some document changed since it was
   * read, nothing written. `unsaved`: the documents whose original could not be saved (a history
   * entry cannot hold even their changed fields); they are not written.
   */
  commit(writes: readonly DocumentWrite[]): Promise<{ conflict: boolean; unsaved: string[] }>;
  /** The latest backup of every document of this generation, in pages. */
  pages(size: number): AsyncIterable<BackupEntry[]>;
  close(): Promise<void>;
}

export interface MigrationStore {
  count(): Promise<number>;
  /** The documents after `cursor` in document-id order, `size` at a time, at most `limit` in all. */
  stream(cursor: string | null, size: number, limit: number | undefined): AsyncIterable<StoredDocument[]>;
  /** The next `size` documents after `cursor` in document-id order. */
  page(cursor: string | null, size: number): Promise<StoredDocument[]>;
  /** These documents now, in the order asked. */
  read(ids: readonly string[]): Promise<StoredDocument[]>;
  /** One atomic commit without backups (rollback). False when some document changed since it was read: nothing written. */
  commit(writes: readonly DocumentWrite[]): Promise<boolean>;
  /** The backups of one apply of the migration being run. */
  openBackups(target: BackupTarget, generation: string): Backups;
}
