/**
 * Originals saved before a batch is written, so that rollback can restore them exactly. Two
 * targets, the operator's choice: a backup collection (`migrations/{id}/backups/{docId}`, written in
 * the same atomic commit as the migrated documents, so a backup exists exactly when its document
 * was migrated) or an NDJSON file (appended and synced before the commit; a later line for the same
 * document supersedes an earlier one).
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { FieldPath, Timestamp, type CollectionReference, type Firestore, type WriteBatch } from '@google-cloud/firestore';
import type { RawDocument } from './migration.js';
import { decodeValue, encodeValue } from '../adapters/firestore/firestore-values.js';

export interface BackupEntry {
  id: string;
  data: RawDocument;
  /** updateTime of the document when it was read, before the migration wrote it. */
  updateTime: Timestamp;
}

export type BackupTarget = { kind: 'collection'; path: string } | { kind: 'file'; path: string };

export interface BackupStore {
  readonly target: BackupTarget;
  /** Writes added to a commit per saved document (the collection target shares the commit). */
  readonly writesPerDocument: number;
  save(batch: WriteBatch, entries: BackupEntry[]): Promise<void>;
  /** The latest backup of every document, in pages. */
  pages(size: number): AsyncIterable<BackupEntry[]>;
  close(): Promise<void>;
}

class CollectionBackupStore implements BackupStore {
  readonly writesPerDocument = 2;
  private readonly collection: CollectionReference;

  constructor(
    db: Firestore,
    readonly target: BackupTarget,
    private readonly generation: string,
  ) {
    this.collection = db.collection(target.path);
  }

  async save(batch: WriteBatch, entries: BackupEntry[]): Promise<void> {
    const savedAt = Timestamp.now();
    for (const entry of entries) batch.set(this.collection.doc(entry.id), { data: entry.data, updateTime: entry.updateTime, savedAt, generation: this.generation });
  }

  async *pages(size: number): AsyncIterable<BackupEntry[]> {
    let cursor: string | undefined;
    for (;;) {
      let query = this.collection.orderBy(FieldPath.documentId()).limit(size);
      if (cursor !== undefined) query = query.startAfter(cursor);
      const page = await query.get();
      if (page.empty) return;
      const current = page.docs.filter((snapshot) => snapshot.get('generation') === this.generation);
      if (current.length > 0) {
        yield current.map((snapshot) => ({ id: snapshot.id, data: snapshot.get('data') as RawDocument, updateTime: snapshot.get('updateTime') as Timestamp }));
      }
      cursor = page.docs.at(-1)!.id;
    }
  }

  async close(): Promise<void> {
    // Nothing held open: the client belongs to the caller.
  }
}

interface BackupLine {
  id: string;
  generation: string;
  updateTime: unknown;
  data: unknown;
}

class FileBackupStore implements BackupStore {
  readonly writesPerDocument = 1;
  private handle: FileHandle | undefined;
  /** Appends are chained so that concurrent batches never interleave their lines. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Firestore,
    readonly target: BackupTarget,
    private readonly generation: string,
  ) {}

  save(_batch: WriteBatch, entries: BackupEntry[]): Promise<void> {
    const text = entries.map((entry) => `${JSON.stringify({ id: entry.id, generation: this.generation, updateTime: encodeValue(entry.updateTime), data: encodeValue(entry.data) })}\n`).join('');
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
    return appended;
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
        page.push({ id: line.id, data: decodeValue(line.data, this.db) as RawDocument, updateTime: decodeValue(line.updateTime, this.db) as Timestamp });
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

/** `generation` tells this apply's backups from those of an earlier apply that was rolled back. */
export function openBackupStore(db: Firestore, target: BackupTarget, generation: string): BackupStore {
  return target.kind === 'collection' ? new CollectionBackupStore(db, target, generation) : new FileBackupStore(db, target, generation);
}
