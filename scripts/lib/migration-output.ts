/** What `npm run migrate` shows (see command-output.ts): its bar line and its summary. */
import type { ProgressEvent, RunReport } from '../../functions/migration/progress.js';
import { createCommandOutput, type CommandOutput } from './command-output.js';

export type MigrationOutput = CommandOutput<ProgressEvent, RunReport>;

function summary(report: RunReport): string {
  const { counts } = report;
  const lines = [
    `${report.command} ${report.migration}${report.dryRun ? ' (dry run: nothing was written)' : ''}: ${report.status}`,
    report.command === 'rollback'
      ? `  examined ${counts.scanned}, restored ${counts.migrated}, already original ${counts.skipped}, refused ${counts.conflicts}`
      : `  scanned ${counts.scanned}, ${report.dryRun ? 'would migrate' : 'migrated'} ${counts.migrated}, skipped ${counts.skipped}, conflicts ${counts.conflicts}, errors ${counts.errors}`,
    `  ${(report.durationMs / 1000).toFixed(1)} s, ${report.documentsPerSecond.toFixed(0)} documents/s, operator ${report.operator}`,
  ];
  for (const error of report.errors.slice(0, 10)) lines.push(`  error ${error.id}: ${error.message}`);
  for (const offender of report.offenders?.slice(0, 10) ?? []) lines.push(`  offender ${offender.id}: ${offender.issues.join('; ')}`);
  for (const refused of report.refused?.slice(0, 10) ?? []) lines.push(`  refused ${refused.id}: ${refused.reason}`);
  return `${lines.join('\n')}\n`;
}

export function createMigrationOutput(onTerminal: boolean): MigrationOutput {
  let total = 0;
  return createCommandOutput<ProgressEvent, RunReport>(onTerminal, {
    notice: (event) => (event.event === 'notice' ? event.message : undefined),
    barLine: (event, began) => {
      if (event.event === 'start') total = event.total;
      if (event.event !== 'batch') return undefined;
      const rate = (event.counts.scanned * 1000) / Math.max(1, Date.now() - began);
      const { counts } = event;
      return {
        done: counts.scanned,
        total,
        text: `${counts.scanned}/${total} migrated ${counts.migrated} skipped ${counts.skipped} conflicts ${counts.conflicts} errors ${counts.errors} ${rate.toFixed(0)}/s`,
      };
    },
    summary,
  });
}
