/**
 * Originals saved before a batch is written, so that rollback can restore them exactly. Two
 * targets, the operator's choice:
 * - `history` (the default): the document's history entry
 *   `{assets}/{id}/history/migration-<migrationId>`, beside every other writer's entries rather
 *   than in a collection of its own, written in the same atomic commit as the migrated document,
 *   so an entry exists exactly when its document was migrated, by the one history writer (adapters/firestore/firestore-history.ts), so with its
 *   before-image cap: a document too large keeps only its changed fields' originals (all rollback
 *   needs), and one whose changed fields alone are too large is not migrated. The before-image is
 *   ONE encoded string (`before`), exempt from indexing in infra/firestore.indexes.json: the write
 *   costs a few index entries, not one per stored field. The entry id is deterministic, so a
 *   resumed run overwrites rather than duplicates.
 * - `file`: an NDJSON file, appended and synced before the commit (a later line for the same
 *   document supersedes an earlier one).
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Firestore, QueryDocumentSnapshot, WriteBatch } from '@google-cloud/firestore';
import { encodedDocumentOf, plainDocumentOfEncoded } from '../../domain/plain-document.js';
import { storedDocumentOf } from '../../adapters/firestore/firestore-values.js';
import { recordBackupEntry } from '../../adapters/firestore/firestore-history.js';
import { HISTORY_SUBCOLLECTION } from '../../adapters/firestore/stored-names.js';
import type { BackupEntry, BackupTarget } from '../ports.js';

/** A saved original: the document's id, the original and the fields the migration changes. */
export type BackupRequest = Omit<BackupEntry, 'scope'>;

export interface BackupStore {
  readonly target: BackupTarget;
  /** Writes added to a commit per saved document (the history target shares the commit). */
  readonly writesPerDocument: number;
  /**
   * Saves the originals of one commit. Resolves to the ids it could not back up (a history entry
   * cannot hold even their changed fields within the cap): their documents must not be written.
   */
  save(batch: WriteBatch, entries: BackupRequest[]): Promise<string[]>;
  /** The latest backup of every document, in pages. */
  pages(size: number): AsyncIterable<BackupEntry[]>;
  close(): Promise<void>;
}

export interface BackupContext {
  migrationId: string;
  /** Tells this apply's backups from those of an earlier apply that was rolled back. */
  generation: string;
  operator: string;
  /** History entries expire (Firestore TTL on `expireAt`) after this many days. */
  retentionDays: number;
}

function migrationEntryId(migrationId: string): string {
  return `migration-${migrationId}`;
}

class HistoryBackupStore implements BackupStore {
  readonly writesPerDocument = 2;

  constructor(
    private readonly db: Firestore,
    readonly target: BackupTarget,
    private readonly context: BackupContext,
  ) {}

  save(batch: WriteBatch, entries: BackupRequest[]): Promise<string[]> {
    const at = new Date();
    const entryId = migrationEntryId(this.context.migrationId);
    const assets = this.db.collection(this.target.path);
    const context = {
      writer: 'migration' as const,
      actor: this.context.operator,
      retentionDays: this.context.retentionDays,
      extra: { migrationId: this.context.migrationId, generation: this.context.generation },
    };
    const refused: string[] = [];
    for (const entry of entries) {
      const before = storedDocumentOf(entry.data, this.db);
      const scope = recordBackupEntry(batch, assets.doc(entry.id), entryId, { before, changedFields: entry.changedFields }, context, at);
      if (scope === 'omitted') refused.push(entry.id);
    }
    return Promise.resolve(refused);
  }

  /**
   * The entries of this migration, by one streamed collection-group query on `migrationId` (its
   * collection-group index is in infra/firestore.indexes.json): reads follow the migrated
   * documents, not the collection. Entries of another generation or another collection are skipped.
   */
  async *pages(size: number): AsyncIterable<BackupEntry[]> {
    const query = this.db.collectionGroup(HISTORY_SUBCOLLECTION).where('migrationId', '==', this.context.migrationId);
    let page: BackupEntry[] = [];
    for await (const item of query.stream()) {
      const snapshot = item as unknown as QueryDocumentSnapshot;
      const asset = snapshot.ref.parent.parent;
      if (!asset || asset.parent.path !== this.target.path || snapshot.get('generation') !== this.context.generation) continue;
      const before: unknown = snapshot.get('before');
      // Never written (recordBackupEntry refuses them), so one would be a damaged entry: stop rather than guess.
      if (typeof before !== 'string') throw new Error(`The history entry ${snapshot.ref.path} holds no before-image: it cannot be rolled back`);
      const scope = snapshot.get('beforeScope') === 'changed-fields' ? 'changed-fields' : 'document';
      page.push({ id: asset.id, data: plainDocumentOfEncoded(JSON.parse(before)), changedFields: snapshot.get('changedFields') as string[], scope });
      if (page.length === size) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }

  async close(): Promise<void> {
    // Nothing held open: the client belongs to the caller.
  }
}

interface BackupLine {
  id: string;
  generation: string;
  changedFields?: string[];
  data: unknown;
}

class FileBackupStore implements BackupStore {
  readonly writesPerDocument = 1;
  private handle: FileHandle | undefined;
  /** Appends are chained so that concurrent batches never interleave their lines. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly target: BackupTarget,
    private readonly generation: string,
  ) {}

  save(_batch: WriteBatch, entries: BackupRequest[]): Promise<string[]> {
    const text = entries
      .map(
        (entry) =>
          `${JSON.stringify({ id: entry.id, generation: this.generation, changedFields: entry.changedFields, data: encodedDocumentOf(entry.data) })}\n`,
      )
      .join('');
    const appended = this.tail.then(async () => {
      if (!this.handle) {
        await mkdir(path.dirname(this.target.path), { recursive: true });
        this.handle = await open(this.target.path, 'a');
      }
      await this.handle.appendFile(text);
      // The backup must be on disk before the documents it protects are changed.
      await this.handle.datasync();
    });
    this.tail = appended;
    return appended.then(() => []);
  }

  private async *lines(): AsyncIterable<BackupLine> {
    const reader = createInterface({ input: createReadStream(this.target.path, 'utf8'), crlfDelay: Infinity });
    for await (const line of reader) if (line.trim() !== '') yield JSON.parse(line) as BackupLine;
  }

  async *pages(size: number): AsyncIterable<BackupEntry[]> {
    // First pass: the last line of each document (only ids are kept in memory).
    const latest = new Map<string, number>();
    let index = 0;
    for await (const line of this.lines()) {
      if (line.generation === this.generation) latest.set(line.id, index);
      index++;
    }
    index = 0;
    let page: BackupEntry[] = [];
    for await (const line of this.lines()) {
      if (latest.get(line.id) === index++) {
        page.push({ id: line.id, data: plainDocumentOfEncoded(line.data), changedFields: line.changedFields ?? [], scope: 'document' });
        if (page.length === size) {
          yield page;
          page = [];
        }
      }
    }
    if (page.length > 0) yield page;
  }

  async close(): Promise<void> {
    await this.tail;
    await this.handle?.close();
    this.handle = undefined;
  }
}

export function openBackupStore(db: Firestore, target: BackupTarget, context: BackupContext): BackupStore {
  return target.kind === 'history' ? new HistoryBackupStore(db, target, context) : new FileBackupStore(target, context.generation);
}
