/**
 * How an operator command (`npm run migrate`, `npm run import`) runs its commander program and
 * exits: no arguments prints the help (exit 2), commander's own errors are 2 (its message already
 * printed, help itself 0), anything else prints `error: <message>` with the command's exit code.
 */
import { CommanderError, type Command } from 'commander';

export async function runCli(program: Command, exitCodeOf: (error: unknown) => number): Promise<never> {
  try {
    if (process.argv.length <= 2) {
      program.outputHelp();
      process.exitCode = 2;
    } else {
      await program.parseAsync(process.argv);
    }
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    } else {
      process.stderr.write(`error: ${(error as Error).message}\n`);
      process.exitCode = exitCodeOf(error);
    }
  }
  // The Firestore (and firebase-admin) clients keep their channels open; the run is over.
  process.exit(process.exitCode ?? 0);
}
