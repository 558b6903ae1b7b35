/** `verify`: every document of the collection against the migration's post-migration schema. */
import { zeroCounts } from './checkpoint.js';
import type { Migration } from './migration.js';
import type { MigrationStore } from './ports.js';
import type { ProgressListener, RunReport } from './progress.js';

const MAX_REPORTED = 100;

export async function verifyMigration(
  store: MigrationStore,
  migration: Migration,
  batchSize: number,
  operator: string,
  onProgress: ProgressListener,
): Promise<RunReport> {
  const began = Date.now();
  const counts = zeroCounts();
  const offenders: NonNullable<RunReport['offenders']> = [];
  const total = await store.count();
  onProgress({ event: 'start', command: 'verify', migration: migration.id, dryRun: true, total, resumedFrom: null });
  let cursor: string | null = null;
  for (let batch = 1; ; batch++) {
    const page = await store.page(cursor, batchSize);
    if (page.length === 0) break;
    for (const document of page) {
      counts.scanned++;
      const issues = migration.verify(document.data ?? {});
      if (issues.length === 0) continue;
      counts.errors++;
      if (offenders.length < MAX_REPORTED) offenders.push({ id: document.id, issues });
    }
    cursor = page.at(-1)!.id;
    onProgress({ event: 'batch', batch, size: page.length, counts: { ...counts } });
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
