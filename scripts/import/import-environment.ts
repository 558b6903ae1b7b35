/**
 * What every `npm run import` command starts from, the assets commands and the users command alike:
 * the database found the way `npm run migrate` finds it (the running `npm start` stack, else
 * FIRESTORE_EMULATOR_HOST, else production), the configuration, history's settings, the operator,
 * and paths given relative to where the operator typed the command.
 */
import path from 'node:path';
import type { Firestore } from '@google-cloud/firestore';
import type { HistoryRecorder } from '../../functions/adapters/firestore/firestore-history.js';
import { getConfig, type Config } from '../../functions/platform/config.js';
import { createLogger } from '../../functions/platform/logger.js';
import { createRuntime } from '../../functions/runtime.js';
import { useLocalStackIfRunning, type StackNeeds } from '../lib/migrate-target.js';

export interface ImportEnvironment {
  config: Config;
  db: Firestore;
  historyRecorder: HistoryRecorder;
}

/** `needs.auth`: the users command manages accounts, so it needs the stack's Auth emulator too. */
export function openImportEnvironment(needs: StackNeeds = {}): ImportEnvironment {
  useLocalStackIfRunning(process.env, undefined, needs);
  const config = getConfig();
  // The functions' own composition root: the same Firestore client, and history recorded with the
  // configured retention like every writer of an asset. Its logs go to stderr: stdout is the report.
  const runtime = createRuntime(
    config,
    createLogger(config.logLevel, { function: 'import' }, (line) => process.stderr.write(`${line}\n`)),
  );
  return { config, db: runtime.firestore(), historyRecorder: runtime.historyRecorder() };
}

/** A file named on the command line: npm runs scripts in the project's root, INIT_CWD is where the operator was. */
export function inputPath(text: string): string {
  return path.resolve(process.env['INIT_CWD'] ?? process.cwd(), text);
}

/** The process's own figures for a report: peak RSS and CPU since `cpuAtStart`. */
export function processFigures(cpuAtStart: NodeJS.CpuUsage): { peakRssBytes: number; cpuMs: number } {
  const cpu = process.cpuUsage(cpuAtStart);
  return { peakRssBytes: process.resourceUsage().maxRSS * 1024, cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
}
