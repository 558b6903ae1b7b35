/**
 * What an operator tool (`npm run migrate`, `npm run import`) shows: on a terminal a progress bar
 * (stderr), the report pretty-printed and a human summary; otherwise JSON lines on stdout (one per
 * event, then `{"event":"report", ...}`) so that scripts and tests can follow a run, and the summary
 * on stderr.
 */
export interface CommandOutput<Event, Report> {
  progress(event: Event): void;
  report(report: Report): void;
}

/** How one tool's events and report read on a terminal. */
export interface TerminalView<Event, Report> {
  /** The bar's line for a progress event (without the bar), or undefined when the event moves no bar. */
  barLine(event: Event, startedAt: number): { done: number; total: number; text: string } | undefined;
  /** A line printed on its own (a notice), or undefined. */
  notice(event: Event): string | undefined;
  summary(report: Report): string;
}

function bar(done: number, total: number, width = 30): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`;
}

export function createCommandOutput<Event, Report extends object>(onTerminal: boolean, view: TerminalView<Event, Report>): CommandOutput<Event, Report> {
  if (!onTerminal) {
    return {
      progress: (event) => process.stdout.write(`${JSON.stringify(event)}\n`),
      report: (report) => {
        process.stdout.write(`${JSON.stringify({ event: 'report', ...report })}\n`);
        process.stderr.write(view.summary(report));
      },
    };
  }
  const began = Date.now();
  return {
    progress: (event) => {
      const notice = view.notice(event);
      if (notice !== undefined) process.stderr.write(`${notice}\n`);
      const line = view.barLine(event, began);
      if (line) process.stderr.write(`\r${bar(line.done, line.total)} ${line.text} `);
    },
    report: (report) => {
      process.stderr.write('\n');
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      process.stderr.write(view.summary(report));
    },
  };
}
