/**
 * `npm run import -- <command>`: bringing the running registry's data in from the old backend
 * (docs/cutover-users.md for `users`). Each command registers itself; exit codes: 0 done, 1 something
 * could not be imported, 2 bad arguments or an unreadable source (nothing written).
 */
import { Command, CommanderError } from 'commander';
import { isUsageError, registerUsersCommand } from './import/users-command.js';

const program = new Command('import')
  .description("Import the old backend's data (NestJS/MongoDB exports) into this registry.")
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)');
registerUsersCommand(program);
program.addHelpText(
  'after',
  `
Examples:
  npm run import -- users --from users.json          # dry run: what would be imported
  npm run import -- users --from users.json --yes`,
);

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
    process.exitCode = isUsageError(error) ? 2 : 1;
  }
}
// The Firestore and firebase-admin clients keep their channels open; the run is over.
process.exit(process.exitCode ?? 0);
