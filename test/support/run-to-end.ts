/** Runs one of the project's built scripts as a user would, to its end. */
import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from './test-environment.js';

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `node <args>` in the project with the test's environment and `env`; one that has not ended in
 * time (a server that came up when it should have refused) gets Ctrl-C, so none outlives its test.
 */
export function runToEnd(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<ScriptRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
