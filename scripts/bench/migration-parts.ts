/**
 * The parts of a migration run that the benchmark measures on their own: the updates apply writes
 * (computed up front or one at a time), the floor that writes them with no reads, and the reads alone. Shared by the
 * benchmark and its fresh-process child, so both measure the same work.
 */
import { FieldPath, Firestore, type WriteBatch } from '@google-cloud/firestore';
import { plainDocumentOf, storedDocumentOf } from '../../functions/adapters/firestore/firestore-values.js';
import { updateArguments } from '../../functions/adapters/firestore/firestore-writes.js';
import { openBackupStore, type BackupRequest } from '../../functions/migration/adapters/backup-store.js';
import { finalizeDocument } from '../../functions/migration/finalize-document.js';
import { changedFields } from '../../functions/migration/migration.js';
import { creatorDescriptionMigration } from '../../functions/migration/migrations/2025-06-creator-description.js';
import { legacyAsset, legacyAssetId } from '../lib/legacy-asset-generator.js';

/** Decodes the planned values (legacy assets hold no document references, so it never connects). */
const PLAN_DB = new Firestore({ projectId: 'nna-bench-plan' });

export interface PlannedUpdate {
  id: string;
  args: unknown[];
  /** The original and the fields changed: what apply's backup of this document holds. */
  backup: BackupRequest;
}

/** The updates apply writes to `count` legacy assets, one at a time as they are asked for. */
export function* eachPlannedUpdate(count: number): Generator<PlannedUpdate> {
  for (let index = 0; index < count; index++) {
    // As apply plans: the migration on the plain document, the changed fields decoded for the update.
    const before = plainDocumentOf(legacyAsset(index));
    if (!creatorDescriptionMigration.selects(before)) continue;
    const after = finalizeDocument(creatorDescriptionMigration.up(before));
    const changed = changedFields(before, after);
    const written = storedDocumentOf(Object.fromEntries(changed.filter((field) => field in after).map((field) => [field, after[field]])), PLAN_DB);
    yield { id: legacyAssetId(index), args: updateArguments({}, written, changed), backup: { id: legacyAssetId(index), data: before, changedFields: changed } };
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

