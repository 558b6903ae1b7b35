/**
 * What `npm run migrate` shows: on a terminal a progress bar (stderr) and a human summary; otherwise
 * JSON lines on stdout (one per event, then the report) so that scripts and tests can follow a run.
 */
import type { ProgressEvent, RunReport } from '../../functions/migration/progress.js';

export interface MigrationOutput {
  progress(event: ProgressEvent): void;
  report(report: RunReport): void;
}

function bar(done: number, total: number, width = 30): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`;
}

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
  if (!onTerminal) {
    return {
      progress: (event) => process.stdout.write(`${JSON.stringify(event)}\n`),
      report: (report) => {
        process.stdout.write(`${JSON.stringify({ event: 'report', ...report })}\n`);
        process.stderr.write(summary(report));
      },
    };
  }
  let total = 0;
  const began = Date.now();
  return {
    progress: (event) => {
      if (event.event === 'start') total = event.total;
      else if (event.event === 'notice') process.stderr.write(`${event.message}\n`);
      else if (event.event === 'batch') {
        const rate = (event.counts.scanned * 1000) / Math.max(1, Date.now() - began);
        const { counts } = event;
        process.stderr.write(
          `\r${bar(counts.scanned, total)} ${counts.scanned}/${total} migrated ${counts.migrated} skipped ${counts.skipped} conflicts ${counts.conflicts} errors ${counts.errors} ${rate.toFixed(0)}/s `,
        );
      }
    },
    report: (report) => {
      process.stderr.write('\n');
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      process.stderr.write(summary(report));
    },
  };
}
