/** What `npm run import` shows (see scripts/lib/command-output.ts): its bar line and its summaries. */
import type { ImportEvent, ImportReport } from '../../functions/cutover/import-report.js';
import type { VerifyReport } from '../../functions/cutover/verify-import.js';
import { createCommandOutput, type CommandOutput } from '../lib/command-output.js';

export type ImportOutput = CommandOutput<ImportEvent, ImportReport | VerifyReport>;

function summary(report: ImportReport | VerifyReport): string {
  if (report.command === 'verify') {
    const { counts } = report;
    const lines = [
      `verify ${report.source}: ${report.status}`,
      `  read ${counts.read}, equal ${counts.equal}, different ${counts.different}, missing ${counts.missing}, no longer in the source ${counts.notInSource}, bad input ${counts.failed}`,
    ];
    for (const difference of report.differences.slice(0, 10))
      lines.push(`  ${difference.kind} ${difference.id}: ${difference.fields ? `${difference.fields.join(', ')}: ` : ''}${difference.detail}`);
    return `${lines.join('\n')}\n`;
  }
  const { counts } = report;
  const lines = [
    `${report.command} ${report.source}${report.dryRun ? ' (dry run: nothing was written)' : ''}: ${report.status}`,
    `  read ${counts.read}, ${report.dryRun ? 'would create' : 'created'} ${counts.created}, ${report.dryRun ? 'would update' : 'updated'} ${counts.updated}, unchanged ${counts.unchanged}, failed ${counts.failed}, skipped ${counts.skipped}`,
    `  ${(report.durationMs / 1000).toFixed(1)} s, ${report.documentsPerSecond.toFixed(0)} documents/s, high-water mark ${report.highWaterMark ?? '(none)'}, operator ${report.operator}`,
  ];
  if (report.error) lines.push(`  stopped: ${report.error}; run the same command again to resume`);
  for (const anomaly of report.anomalies)
    lines.push(`  anomaly ${anomaly.kind} x${anomaly.count}: e.g. ${anomaly.examples[0]?.name} (${anomaly.examples[0]?.id}): ${anomaly.examples[0]?.detail}`);
  for (const failure of report.failures.slice(0, 10))
    lines.push(`  ${failure.reason} at ${failure.position}${failure.id ? ` (${failure.id})` : ''}: ${failure.message}`);
  return `${lines.join('\n')}\n`;
}

export function createImportOutput(onTerminal: boolean): ImportOutput {
  return createCommandOutput<ImportEvent, ImportReport | VerifyReport>(onTerminal, {
    notice: (event) => (event.event === 'notice' ? event.message : undefined),
    barLine: (event, began) => {
      if (event.event !== 'batch') return undefined;
      const { counts } = event;
      const rate = (counts.read * 1000) / Math.max(1, Date.now() - began);
      // Sources that know their size move the bar; the others show the counts alone.
      return {
        done: Math.round((event.progress ?? 0) * 1000),
        total: 1000,
        text: `read ${counts.read} created ${counts.created} updated ${counts.updated} unchanged ${counts.unchanged} failed ${counts.failed} ${rate.toFixed(0)}/s`,
      };
    },
    summary,
  });
}
