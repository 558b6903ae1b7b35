/**
 * `npm run import -- <command>`: bringing the running registry's data in from the old backend
 * (docs/cutover-users.md for `users`). Each command registers itself; exit codes: 0 done, 1 something
 * could not be imported, 2 bad arguments or an unreadable source (nothing written).
 */
import { Command } from 'commander';
import { isUsageError, registerUsersCommand } from './import/users-command.js';
import { runCli } from './lib/run-cli.js';

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

await runCli(program, (error) => (isUsageError(error) ? 2 : 1));
