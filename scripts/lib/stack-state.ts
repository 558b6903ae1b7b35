/**
 * The running local stack's addresses, in a small file `npm start` writes when it is up and removes
 * when it stops, so that other commands (`npm run migrate`, `npm run import`) find the stack without being told.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StackState {
  pid: number;
  projectId: string;
  apiUrl: string;
  firestoreHost: string;
  pubsubHost: string;
  /** The Auth emulator and its Firebase project (absent in the file of a stack started before they were written). */
  authHost?: string;
  firebaseProjectId?: string;
}

/** dist/scripts/lib -> project root */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** `.data/` in the project; LOCAL_STACK_DATA_DIR moves it (the restart test keeps a developer's data out of its way). */
export const STACK_DATA_DIRECTORY = process.env['LOCAL_STACK_DATA_DIR'] ?? path.join(PROJECT_ROOT, '.data');
export const STACK_STATE_FILE = path.join(STACK_DATA_DIRECTORY, 'local-stack.json');

export function writeStackState(state: StackState, file = STACK_STATE_FILE): void {
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

export function removeStackState(file = STACK_STATE_FILE): void {
  rmSync(file, { force: true });
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: no such process (a stack that was killed without removing its file).
    return false;
  }
}

/** The running stack's state, or undefined when none runs (a file left by a killed stack is ignored). */
export function readStackState(file = STACK_STATE_FILE): StackState | undefined {
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, 'utf8')) as StackState;
  return isRunning(state.pid) ? state : undefined;
}
