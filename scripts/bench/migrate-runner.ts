/** `npm run migrate` as the benchmarks run it: the built CLI in a fresh process with the npm script's node flags. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunReport } from '../../functions/migration/progress.js';
import { npmScriptNodeFlags } from './bench-report.js';

export const MIGRATE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrate.js');

/** The node flags of `npm run migrate` (the heap bound), so the benchmark runs what operators run. */
export function migrateNodeFlags(): string[] {
  return npmScriptNodeFlags('migrate');
}

/** A Node script run with the CLI's node flags in a fresh process: its exit code and what it printed. */
export async function runNode(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, [...migrateNodeFlags(), ...args], { env: { PATH: process.env['PATH'] ?? '', METADATA_SERVER_DETECTION: 'none', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout };
}

/** `migrate apply --yes` of one migration against an emulator: its report line, and the wall time. */
export async function runMigrateApply(host: string, project: string, migrationId: string, args: string[] = []): Promise<RunReport & { wallMs: number }> {
  const started = Date.now();
  const { code, stdout } = await runNode([MIGRATE, 'apply', '--migration', migrationId, '--yes', ...args], {
    DEPLOY_ENV: 'test',
    GOOGLE_CLOUD_PROJECT: project,
    FIRESTORE_EMULATOR_HOST: host,
    USER: 'bench',
    LOG_LEVEL: 'WARNING',
  });
  const line = stdout.split('\n').find((candidate) => candidate.includes('"event":"report"'));
  if (code !== 0 || !line) throw new Error(`migrate exited ${code}: ${stdout.slice(-2000)}`);
  return { ...(JSON.parse(line) as RunReport), wallMs: Date.now() - started };
}
