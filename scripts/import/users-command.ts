/**
 * `npm run import -- users --from <users export> [--yes] [--recreate-gone]`: imports the old
 * backend's users (a mongoexport of its User collection) into Firebase Authentication, keeping
 * each bcrypt hash for the first sign-in (docs/cutover.md, Users). A dry run until --yes. JSON lines
 * on stdout (one per user, then `{"event":"report", ...}`), a summary on stderr. Exit 0 done, 1 a
 * user could not be imported, 2 bad arguments or an unreadable export (nothing written).
 */
import type { Command } from 'commander';
import { FirestoreLegacyCredentials } from '../../functions/adapters/firestore/firestore-legacy-credentials.js';
import { FirestoreRoleAudit } from '../../functions/adapters/firestore/firestore-role-audit.js';
import { MongoexportFileSource } from '../../functions/cutover/adapters/mongoexport-file-source.js';
import { LegacySourceError } from '../../functions/cutover/source-error.js';
import { FirebaseAccountDirectory } from '../../functions/cutover/adapters/firebase-account-directory.js';
import { importUsers, type UserEvent, type UserImportReport } from '../../functions/cutover/users/import-users.js';
import { UsageError } from '../lib/command-line.js';
import { inputPath, openImportEnvironment } from './import-environment.js';

interface UsersOptions {
  from: string;
  yes?: boolean;
  recreateGone?: boolean;
}

function summary(report: UserImportReport): string {
  const { counts } = report;
  const lines = [
    `users from ${report.source}${report.dryRun ? ' (dry run: nothing was written; add --yes to import)' : ''}`,
    `  read ${counts.read}, ${report.dryRun ? 'would create' : 'created'} ${counts.created}, unchanged ${counts.unchanged}, failed ${counts.failed}`,
  ];
  for (const anomaly of report.anomalies.slice(0, 20)) lines.push(`  ${anomaly.kind} ${anomaly.position} ${anomaly.email}: ${anomaly.message}`);
  return `${lines.join('\n')}\n`;
}

async function runUsers(options: UsersOptions): Promise<number> {
  const source = new MongoexportFileSource(inputPath(options.from));
  try {
    await source.open();
  } catch (error) {
    if (error instanceof LegacySourceError) throw new UsageError(error.message);
    throw error;
  }
  const { config, db: firestore } = openImportEnvironment({ auth: true });
  const dryRun = options.yes !== true;
  const onTerminal = process.stdout.isTTY === true;
  const write = (event: UserEvent | UserImportReport | { event: 'start'; command: 'users'; source: string; dryRun: boolean }) => {
    if (!onTerminal || event.event === 'report') process.stdout.write(`${JSON.stringify(event, null, onTerminal ? 2 : undefined)}\n`);
  };
  write({ event: 'start', command: 'users', source: source.label, dryRun });
  const report = await importUsers(
    source,
    {
      accounts: new FirebaseAccountDirectory(config.auth.firebaseProjectId),
      credentials: new FirestoreLegacyCredentials(firestore, config.auth.legacyCredentialsCollection, config.firestoreDeadlineMs),
      audit: new FirestoreRoleAudit(firestore, config.auth.roleAuditCollection),
    },
    { source: source.label, dryRun, recreateGone: options.recreateGone === true, onEvent: write },
  );
  write(report);
  process.stderr.write(summary(report));
  return report.counts.failed === 0 ? 0 : 1;
}

/** Registers `users` on the import program; the exit code goes to process.exitCode. */
export function registerUsersCommand(program: Command): void {
  program
    .command('users')
    .description("import the old backend's users into Firebase Authentication, with their bcrypt hashes (dry run unless --yes)")
    .requiredOption('--from <file>', 'the users export: mongoexport NDJSON or --jsonArray, relaxed or canonical Extended JSON')
    .option('--yes', 'really import')
    .option('--recreate-gone', 'also import users whose account is gone although they had signed in here (a restarted local stack)')
    .action(async (options: UsersOptions) => {
      process.exitCode = await runUsers(options);
    });
}
