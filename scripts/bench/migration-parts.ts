/**
 * The parts of a migration run that the benchmark measures on their own: the updates apply writes
 * (computed up front or one at a time), the floor that writes them with no reads, and the reads alone. Shared by the
 * benchmark and its fresh-process child, so both measure the same work.
 */
import { FieldPath, type Firestore, type WriteBatch } from '@google-cloud/firestore';
import { openBackupStore, type BackupRequest } from '../../functions/migration/backup-store.js';
import { finalizeDocument } from '../../functions/migration/finalize-document.js';
import { changedFields, updateArguments } from '../../functions/migration/firestore-writes.js';
import { creatorDescriptionMigration } from '../../functions/migration/migrations/2025-06-creator-description.js';
import { legacyAsset, legacyAssetId } from '../lib/legacy-asset-generator.js';

export interface PlannedUpdate {
  id: string;
  args: unknown[];
  /** The original and the fields changed: what apply's backup of this document holds. */
  backup: BackupRequest;
}

/** The updates apply writes to `count` legacy assets, one at a time as they are asked for. */
export function* eachPlannedUpdate(count: number): Generator<PlannedUpdate> {
  for (let index = 0; index < count; index++) {
    const before = legacyAsset(index);
    if (!creatorDescriptionMigration.selects(before)) continue;
    const after = finalizeDocument(creatorDescriptionMigration.up(before));
    yield { id: legacyAssetId(index), args: updateArguments(before, after), backup: { id: legacyAssetId(index), data: before, changedFields: changedFields(before, after) } };
  }
}

/** The updates apply writes, computed up front (the floor pays no reads). */
export function plannedUpdates(count: number): PlannedUpdate[] {
  return [...eachPlannedUpdate(count)];
}

/**
 * The floor: the same updates as batched writes, `concurrency` commits in flight. With `withBackups`
 * each commit also carries the history entries apply writes (the same documents, the same fields):
 * the writes' share of apply, without its reads.
 */
export async function writeUpdates(db: Firestore, updates: Iterable<PlannedUpdate>, batchSize: number, concurrency: number, withBackups = false): Promise<number> {
  const backups = withBackups ? openBackupStore(db, { kind: 'history', path: 'assets' }, { migrationId: creatorDescriptionMigration.id, generation: 'bench', operator: 'bench', retentionDays: 365 }) : undefined;
  const started = Date.now();
  const source = updates[Symbol.iterator]();
  const take = (): PlannedUpdate[] => {
    const chunk: PlannedUpdate[] = [];
    for (let item = source.next(); !item.done; item = source.next()) if (chunk.push(item.value) === batchSize) break;
    return chunk;
  };
  const worker = async (): Promise<void> => {
    for (let chunk = take(); chunk.length > 0; chunk = take()) {
      const batch: WriteBatch = db.batch();
      await backups?.save(batch, chunk.map((update) => update.backup));
      for (const { id, args } of chunk) {
        const [field, value, ...rest] = args;
        batch.update(db.collection('assets').doc(id), field as string, value, ...rest);
      }
      await batch.commit();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Date.now() - started;
}

/** The reads' share of apply: one streamed query over the collection in document-id order, every document decoded. */
export async function readAlone(db: Firestore): Promise<number> {
  const started = Date.now();
  let fields = 0;
  for await (const snapshot of db.collection('assets').orderBy(FieldPath.documentId()).stream()) fields += Object.keys((snapshot as unknown as { data(): object }).data()).length;
  if (fields === 0) throw new Error('read nothing');
  return Date.now() - started;
}

