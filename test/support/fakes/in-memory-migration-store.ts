/**
 * The migration runner's store in memory, as the Firestore migration store keeps it: documents in
 * id order with a version each, commits that write whole or not at all (a write at a version is
 * refused when the document changed since), and the backups of each apply by generation, the
 * history target keeping a before-image within the history cap (the changed fields only when the
 * whole is over it, none when even those are).
 */
import { boundedBeforeImage } from '../../../functions/domain/history-entry.js';
import { encodedDocumentOf, type PlainDocument } from '../../../functions/domain/plain-document.js';
import type { BackupEntry, Backups, BackupTarget, DocumentWrite, MigrationStore, StoredDocument } from '../../../functions/migration/ports.js';

const WRITES_PER_COMMIT = 500;

interface Versioned {
  data: PlainDocument;
  version: number;
}

/** The backup a history entry could hold of a document, or undefined when not even its changed fields fit. */
function boundedBackup(id: string, before: PlainDocument, changedFields: string[], capped: boolean): BackupEntry | undefined {
  if (!capped) return { id, data: structuredClone(before), changedFields, scope: 'document' };
  const bounded = boundedBeforeImage(before, changedFields, (image) => JSON.stringify(encodedDocumentOf(image)));
  return bounded.scope === 'omitted' ? undefined : { id, data: structuredClone(bounded.image), changedFields, scope: bounded.scope };
}

export class InMemoryMigrationStore implements MigrationStore {
  private readonly documents = new Map<string, Versioned>();
  /** Per backup target and generation, the latest backup of each document. */
  private readonly backups = new Map<string, Map<string, BackupEntry>>();
  private clock = 0;
  private interference: (() => void) | undefined;

  /** Stores a document as another writer would, at a new version. */
  put(id: string, data: PlainDocument): void {
    this.documents.set(id, { data: structuredClone(data), version: ++this.clock });
  }

  /** Runs `write` (another writer's) once, just before the next commit: what a race with the API looks like. */
  beforeNextCommit(write: () => void): void {
    this.interference = write;
  }

  stored(id: string): PlainDocument | undefined {
    const document = this.documents.get(id);
    return document && structuredClone(document.data);
  }

  count(): Promise<number> {
    return Promise.resolve(this.documents.size);
  }

  async *stream(cursor: string | null, size: number, limit: number | undefined): AsyncIterable<StoredDocument[]> {
    let after = cursor;
    let left = limit ?? Infinity;
    while (left > 0) {
      const page = await this.page(after, Math.min(size, left));
      if (page.length === 0) return;
      yield page;
      left -= page.length;
      after = page[page.length - 1]!.id;
    }
  }

  page(cursor: string | null, size: number): Promise<StoredDocument[]> {
    const ids = [...this.documents.keys()].filter((id) => cursor === null || id > cursor).sort();
    return this.read(ids.slice(0, size));
  }

  read(ids: readonly string[]): Promise<StoredDocument[]> {
    return Promise.resolve(
      ids.map((id) => {
        const document = this.documents.get(id);
        return { id, data: document && structuredClone(document.data), version: document && String(document.version) };
      }),
    );
  }

  commit(writes: readonly DocumentWrite[]): Promise<boolean> {
    this.interfere();
    return Promise.resolve(this.apply(writes));
  }

  openBackups(target: BackupTarget, generation: string): Backups {
    const key = `${target.kind}:${target.path}:${generation}`;
    const saved = this.backups.get(key) ?? new Map<string, BackupEntry>();
    this.backups.set(key, saved);
    const capped = target.kind === 'history';
    // The history target shares the commit with the documents: two writes a document.
    const documentsPerCommit = capped ? WRITES_PER_COMMIT / 2 : WRITES_PER_COMMIT;
    return {
      target,
      documentsPerCommit,
      commit: (writes) => {
        this.interfere();
        const entries = writes.map((write) => ({ id: write.id, entry: boundedBackup(write.id, write.before, write.changed, capped) }));
        const unsaved = entries.filter(({ entry }) => entry === undefined).map(({ id }) => id);
        const written = writes.filter((write) => !unsaved.includes(write.id));
        if (!this.current(written)) return Promise.resolve({ conflict: true, unsaved });
        for (const { entry } of entries) if (entry) saved.set(entry.id, entry);
        this.apply(written);
        return Promise.resolve({ conflict: false, unsaved });
      },
      async *pages(size: number) {
        const entries = [...saved.values()].map((entry) => structuredClone(entry));
        for (let start = 0; start < entries.length; start += size) {
          yield entries.slice(start, start + size);
          await Promise.resolve();
        }
      },
      close: () => Promise.resolve(),
    };
  }

  private interfere(): void {
    const write = this.interference;
    this.interference = undefined;
    write?.();
  }

  /** Whether every write's precondition holds: its document is still at the version read. */
  private current(writes: readonly DocumentWrite[]): boolean {
    return writes.every((write) => write.version === undefined || String(this.documents.get(write.id)?.version) === write.version);
  }

  private apply(writes: readonly DocumentWrite[]): boolean {
    if (!this.current(writes)) return false;
    for (const write of writes) {
      const stored = this.documents.get(write.id);
      if (write.version === undefined || !stored) {
        this.put(write.id, write.after);
        continue;
      }
      // Only the changed fields are replaced (one absent from `after` is removed), as the Firestore update does.
      const data = { ...stored.data };
      for (const field of write.changed) {
        if (field in write.after) data[field] = structuredClone(write.after[field]);
        else delete data[field];
      }
      this.put(write.id, data);
    }
    return true;
  }
}
