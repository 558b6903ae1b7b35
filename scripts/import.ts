/**
 * `npm run import -- <command> [options]`: brings the running registry's data (the old NestJS/MongoDB
 * backend) into this backend for the cutover (docs/cutover.md). Assets: plan, apply, verify, status
 * (scripts/import/assets-commands.ts). Exit codes: 0 done, 1 a document could not be imported or
 * verify found a difference, 2 bad arguments or an unreadable/unauthorized source (nothing written),
 * 3 another run holds the lease.
 */
import { createProgram, runCommandLine } from './lib/command-line.js';
import { registerAssetCommands } from './import/assets-commands.js';
import { registerUsersCommand } from './import/users-command.js';

const program = createProgram('import', "Imports the old backend's assets (and users) into this backend, for the cutover.");
registerAssetCommands(program);
registerUsersCommand(program);
program.addHelpText(
  'after',
  `
Examples:
  npm run import -- plan --from test/fixtures/staging-assets-export.ndjson
  npm run import -- apply --from assets.json --yes
  npm run import -- apply --from https://registry.reviz.dev/api --token "$TOKEN" --since 2025-07-13T16:17:35.541Z --yes
  npm run import -- verify --from https://registry.reviz.dev/api --email ops@example.com --password "$PASSWORD"
  npm run import -- status
  npm run import -- users --from users.json          # dry run: what would be imported
  npm run import -- users --from users.json --yes`,
);

await runCommandLine(program);
