/** Runs the real operator tools (dist/scripts/migrate.js, dist/scripts/import.js) as child processes against the test emulator. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT, TEST_PROJECT } from './test-environment.js';

export interface MigrateResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON lines (progress events, then the report). */
  events: Record<string, unknown>[];
  report: Record<string, unknown> | undefined;
}

export interface MigrateRun {
  child: ChildProcess;
  /** Called with every JSON line as it arrives. */
  onEvent(listener: (event: Record<string, unknown>) => void): void;
  done: Promise<MigrateResult>;
}

function migrateEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '',
    DEPLOY_ENV: 'test',
    GOOGLE_CLOUD_PROJECT: TEST_PROJECT,
    FIRESTORE_EMULATOR_HOST: process.env['FIRESTORE_EMULATOR_HOST']!,
    USER: 'test-operator',
    LOG_LEVEL: 'WARNING',
    ...extra,
  };
}

export function startMigrate(args: string[], env: Record<string, string> = {}): MigrateRun {
  return startScript('dist/scripts/migrate.js', args, env);
}

/** Any operator tool of dist/scripts, with the test environment; JSON lines on stdout are its events. */
function startScript(script: string, args: string[], env: Record<string, string> = {}): MigrateRun {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, script), ...args], {
    env: migrateEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const listeners: ((event: Record<string, unknown>) => void)[] = [];
  const events: Record<string, unknown>[] = [];
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    stdout += `${line}\n`;
    try {
      const event = JSON.parse(line) as Record<string, unknown>;
      events.push(event);
      for (const listener of listeners) listener(event);
    } catch {
      // Not every line is an event (status prints a checkpoint, list one line per migration): kept in stdout.
    }
  });
  const done = new Promise<MigrateResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, events, report: events.find((event) => event['event'] === 'report') }));
  });
  return { child, onEvent: (listener) => listeners.push(listener), done };
}

export function migrate(args: string[], env: Record<string, string> = {}): Promise<MigrateResult> {
  return startMigrate(args, env).done;
}

/** The built `npm run import` (dist/scripts/import.js). */
export function startImport(args: string[], env: Record<string, string> = {}): MigrateRun {
  return startScript('dist/scripts/import.js', args, env);
}

export function runImport(args: string[], env: Record<string, string> = {}): Promise<MigrateResult> {
  return startImport(args, env).done;
}
