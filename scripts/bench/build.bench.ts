/**
 * The build out of the way of work: the compile of dist/ from nothing and with nothing changed, what
 * an edit of one file in functions/ costs up to the unit tier's result (`npm run test:unit`), and the
 * start of an operator command (`npm run import`) when nothing changed. That a running stack keeps
 * answering through such a compile is a test (test/local-stack/stack-code.test.ts). Medians of a few
 * runs; an "edit" is a newer modification time, so no source changes.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { BENCH_ROOT, median, writeResult, type BenchResult } from './bench-report.js';

const RUNS = 3;
const root = path.resolve(BENCH_ROOT, '..');
/** A module most of functions/ imports, so its edit is a typical one. */
const EDITED = path.join(root, 'functions/domain/errors.ts');

function timedNpm(args: string[]): number {
  const started = process.hrtime.bigint();
  const run = spawnSync('npm', args, { cwd: root, stdio: 'ignore' });
  if (run.status !== 0) throw new Error(`npm ${args.join(' ')} exited with ${run.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function edit(...files: string[]): void {
  const now = new Date();
  for (const file of files) utimesSync(file, now, now);
}

/** Every TypeScript source of the project: what a fresh clone compiles. */
function allSources(): string[] {
  return ['functions', 'scripts', 'test'].flatMap((directory) =>
    readdirSync(path.join(root, directory), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => path.join(entry.parentPath, entry.name)),
  );
}

export function runBuildBench(): Promise<BenchResult> {
  const times = { fromNothing: [] as number[], unchanged: [] as number[], editToUnit: [] as number[], importStart: [] as number[] };
  for (let run = 0; run < RUNS; run++) {
    edit(...allSources());
    times.fromNothing.push(timedNpm(['run', 'compile', '--silent']));
    times.unchanged.push(timedNpm(['run', 'compile', '--silent']));
    edit(EDITED);
    times.editToUnit.push(timedNpm(['run', 'test:unit', '--silent']));
    times.importStart.push(timedNpm(['run', 'import', '--silent', '--', '--help']));
  }
  return Promise.resolve(
    writeResult(
      'build',
      'build and inner loop',
      `npm scripts as a developer runs them, median of ${RUNS} runs: the compile (esbuild, file by file, only what changed; \`npm run build\` adds an incremental type-check) after every source changed, and again with nothing changed; an edit of ${path.relative(root, EDITED)} to the unit tier's result (\`npm run test:unit\`: compile, then mocha); \`npm run import -- --help\` with nothing changed (its start: compile and load). Before this change each of these first deleted dist/ and ran the full tsc (2m18s for the unit tier, 2m16s for import's plan on the loaded machine). A running stack keeps answering every lazily loaded route group 2xx through such a compile: test/local-stack/stack-code.test.ts (it fails when the API runs from dist/ and dist/ is deleted and rebuilt, as the build did before).`,
      [
        { name: 'compile, every source changed', value: median(times.fromNothing), unit: 'ms' },
        { name: 'compile, nothing changed', value: median(times.unchanged), unit: 'ms' },
        { name: 'edit of one file in functions/ to the unit tier result', value: median(times.editToUnit), unit: 'ms', goal: { comparison: '<=', target: 15_000 } },
        { name: 'npm run import start (--help), nothing changed', value: median(times.importStart), unit: 'ms' },
      ],
    ),
  );
}
