/** `verify`: every document of the collection against the migration's post-migration schema. */
import type { CollectionReference } from '@google-cloud/firestore';
import { zeroCounts } from './checkpoint.js';
import { readPage } from './firestore-writes.js';
import type { Migration, RawDocument } from './migration.js';
import type { ProgressListener, RunReport } from './progress.js';

const MAX_REPORTED = 100;

export async function verifyMigration(
  assets: CollectionReference,
  migration: Migration,
  batchSize: number,
  operator: string,
  onProgress: ProgressListener,
): Promise<RunReport> {
  const began = Date.now();
  const counts = zeroCounts();
  const offenders: NonNullable<RunReport['offenders']> = [];
  const total = (await assets.count().get()).data().count;
  onProgress({ event: 'start', command: 'verify', migration: migration.id, dryRun: true, total, resumedFrom: null });
  let cursor: string | null = null;
  for (let batch = 1; ; batch++) {
    const page = await readPage(assets, cursor, batchSize);
    if (page.empty) break;
    for (const snapshot of page.docs) {
      counts.scanned++;
      const issues = migration.verify(snapshot.data() as RawDocument);
      if (issues.length === 0) continue;
      counts.errors++;
      if (offenders.length < MAX_REPORTED) offenders.push({ id: snapshot.id, issues });
    }
    cursor = page.docs.at(-1)!.id;
    onProgress({ event: 'batch', batch, size: page.size, counts: { ...counts } });
  }
  const durationMs = Date.now() - began;
  return {
    command: 'verify',
    migration: migration.id,
    dryRun: true,
    status: counts.errors === 0 ? 'clean' : 'offenders',
    counts,
    durationMs,
    documentsPerSecond: durationMs > 0 ? (counts.scanned * 1000) / durationMs : 0,
    errors: [],
    cursor: null,
    operator,
    startedAt: new Date(began).toISOString(),
    finishedAt: new Date().toISOString(),
    offenders,
  };
}
