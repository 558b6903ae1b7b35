/**
 * What the operator tools (`npm run migrate`, `npm run import`) share on the command line: option
 * parsers, the exit codes (0 done, 1 the run failed or found problems, 2 bad input or an unusable
 * source before anything was written, 3 another run holds the lease) and the run of a commander
 * program that ends the process with them.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { AppError } from '../../functions/domain/errors.js';
import { ConfigError } from '../../functions/platform/config.js';

export const DEFAULT_OPERATOR = process.env['MIGRATION_OPERATOR'] ?? process.env['USER'] ?? 'unknown';

/** A commander argument parser for a whole number within bounds. */
export function integer(name: string, min: number, max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    return value;
  };
}

/** An error a tool raises before it writes anything, about its input (a source it cannot read, say): exit 2. */
export class UsageError extends Error {}

function exitCodeOf(error: unknown): number {
  if (error instanceof ConfigError || error instanceof UsageError) return 2;
  if (error instanceof AppError) return error.kind === 'conflict' ? 3 : error.kind === 'validation' || error.kind === 'not_found' ? 2 : 1;
  return 1;
}

/** A tool's program; its commands, added after, inherit the error handling runCommandLine expects. */
export function createProgram(name: string, description: string): Command {
  return new Command(name).description(description).exitOverride().showHelpAfterError('(run with --help for usage)');
}

/**
 * Parses the command line and runs the chosen command, whose action sets `process.exitCode`; an
 * error thrown out of it is printed on one line and mapped to its exit code. Ends the process: the
 * Firestore client keeps its channel open once the run is over.
 */
export async function runCommandLine(program: Command): Promise<never> {
  try {
    if (process.argv.length <= 2) {
      program.outputHelp();
      process.exitCode = 2;
    } else {
      await program.parseAsync(process.argv);
    }
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (and the help hint); help itself is not an error.
      process.exitCode = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    } else {
      process.stderr.write(`error: ${(error as Error).message}\n`);
      process.exitCode = exitCodeOf(error);
    }
  }
  process.exit(process.exitCode ?? 0);
}
