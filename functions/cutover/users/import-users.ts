/**
 * `npm run import -- users`: the old backend's users become accounts here. Each new user is created
 * with the identity provider under its old `_id`, with its bcrypt hash (production Firebase verifies
 * it natively), its roles and display name; then its hash is kept as a legacy credential for the
 * sign-in that the Auth emulator cannot verify (functions/sign-in/legacy-password-adoption.ts). An
 * account that already exists is never touched again: a rerun neither resets a password nor brings
 * back a hash its user has replaced. A dry run reads and reports, writing nothing.
 */
import type { LegacyCredentialStore } from '../../domain/ports/legacy-credentials.js';
import type { LegacyAssetSource } from '../ports.js';
import { legacyUserOf, type LegacyUser } from './legacy-user.js';
import type { AccountDirectory, ExistingAccount, RoleAudit } from './user-import-ports.js';

/** Users looked up and created per round: the identity provider takes 100 identifiers a lookup (uid and email each). */
const USERS_PER_ROUND = 50;

type UserOutcome = 'created' | 'would-create' | 'unchanged' | 'failed';

export interface UserEvent {
  event: 'user';
  /** Where the document is in the export: `line 3`, `element 3` (`--jsonArray`). */
  position: string;
  uid?: string;
  email?: string;
  outcome: UserOutcome;
  reason?: string;
}

interface UserAnomaly {
  position: string;
  uid: string;
  email: string;
  kind: 'roles-differ' | 'email-differs' | 'no-legacy-credential' | 'account-gone';
  message: string;
}

export interface UserImportReport {
  event: 'report';
  command: 'users';
  source: string;
  dryRun: boolean;
  counts: { read: number; created: number; updated: number; unchanged: number; failed: number };
  anomalies: UserAnomaly[];
  durationMs: number;
}

export interface UserImportDependencies {
  accounts: AccountDirectory;
  credentials: Pick<LegacyCredentialStore, 'statuses' | 'save'>;
  audit: RoleAudit;
}

export interface UserImportOptions {
  /** The export's label (its file name), kept with each credential. */
  source: string;
  dryRun: boolean;
  /**
   * Also import users whose account is gone although they had signed in here (their old hash
   * forgotten): the local stack's Auth emulator starts empty on every `npm start`.
   */
  recreateGone: boolean;
  onEvent: (event: UserEvent) => void;
  now?: () => Date;
}

interface Candidate {
  position: string;
  user: LegacyUser;
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}

/** The export is read through the assets' mongoexport source (`records()`; `open()` already passed). */
export async function importUsers(
  source: Pick<LegacyAssetSource, 'records'>,
  deps: UserImportDependencies,
  options: UserImportOptions,
): Promise<UserImportReport> {
  const began = Date.now();
  const now = options.now ?? (() => new Date());
  const counts = { read: 0, created: 0, updated: 0, unchanged: 0, failed: 0 };
  const anomalies: UserAnomaly[] = [];
  const emit = (event: Omit<UserEvent, 'event'>) => {
    counts[event.outcome === 'would-create' ? 'created' : event.outcome]++;
    options.onEvent({ event: 'user', ...event });
  };

  // Documents that are not users, and users the export holds twice, are refused before anything is looked up.
  const candidates: Candidate[] = [];
  const firstPositionOf = new Map<string, string>();
  for await (const record of source.records()) {
    counts.read++;
    const { position } = record;
    if ('error' in record) {
      emit({ position, outcome: 'failed', reason: record.error });
      continue;
    }
    const mapped = legacyUserOf(record.document);
    if ('problem' in mapped) {
      emit({ position, outcome: 'failed', reason: mapped.problem });
      continue;
    }
    const { user } = mapped;
    const earlier = firstPositionOf.get(`uid:${user.uid}`) ?? firstPositionOf.get(`email:${user.email}`);
    if (earlier !== undefined) {
      emit({ position, uid: user.uid, email: user.email, outcome: 'failed', reason: `the export holds this user (uid or email) already, at ${earlier}` });
      continue;
    }
    firstPositionOf.set(`uid:${user.uid}`, position);
    firstPositionOf.set(`email:${user.email}`, position);
    candidates.push({ position, user });
  }

  for (let start = 0; start < candidates.length; start += USERS_PER_ROUND) {
    await importRound(candidates.slice(start, start + USERS_PER_ROUND));
  }
  return { event: 'report', command: 'users', source: options.source, dryRun: options.dryRun, counts, anomalies, durationMs: Date.now() - began };

  async function importRound(round: Candidate[]): Promise<void> {
    const [accounts, statuses] = await Promise.all([
      deps.accounts.lookup(
        round.map(({ user }) => user.uid),
        round.map(({ user }) => user.email),
      ),
      deps.credentials.statuses(round.map(({ user }) => user.email)),
    ]);
    const byUid = new Map(accounts.map((account) => [account.uid, account]));
    const byEmail = new Map(accounts.filter((account) => account.email).map((account) => [account.email!.toLowerCase(), account]));
    const toCreate: Candidate[] = [];
    for (const candidate of round) {
      const { user, position } = candidate;
      const note = (kind: UserAnomaly['kind'], message: string) => anomalies.push({ position, uid: user.uid, email: user.email, kind, message });
      const existing: ExistingAccount | undefined = byUid.get(user.uid);
      const status = statuses.get(user.email);
      if (existing) {
        // Imported before: left exactly as it is (its password may be the user's own by now).
        if (!sameRoles(existing.roles, user.roles)) {
          note(
            'roles-differ',
            `has roles [${existing.roles.join(', ')}] here, the export says [${user.roles.join(', ')}]: left as they are (PUT /api/admin/users/:uid/roles changes them)`,
          );
        }
        if (existing.email?.toLowerCase() !== user.email) note('email-differs', `has the email ${existing.email ?? '(none)'} here: left as it is`);
        if (!status) {
          note(
            'no-legacy-credential',
            'exists without a legacy credential (an interrupted import?): production Firebase verifies its imported hash, the Auth emulator cannot',
          );
        }
        emit({ position, uid: user.uid, email: user.email, outcome: 'unchanged', reason: 'the account exists' });
        continue;
      }
      const owner = byEmail.get(user.email);
      if (owner) {
        emit({ position, uid: user.uid, email: user.email, outcome: 'failed', reason: `the email belongs to another account here (uid ${owner.uid})` });
        continue;
      }
      if (status && status.state !== 'waiting' && !options.recreateGone) {
        note('account-gone', `its account is gone although its user had signed in here (${status.state}): not imported again (--recreate-gone would)`);
        emit({ position, uid: user.uid, email: user.email, outcome: 'unchanged', reason: 'its user had replaced the old password' });
        continue;
      }
      toCreate.push(candidate);
    }
    if (options.dryRun) {
      for (const { position, user } of toCreate) emit({ position, uid: user.uid, email: user.email, outcome: 'would-create' });
      return;
    }
    const failures = await deps.accounts.importWithBcrypt(toCreate.map(({ user }) => user));
    const created = toCreate.filter(({ user }) => !failures.has(user.uid));
    for (const { position, user } of toCreate) {
      const failure = failures.get(user.uid);
      if (failure !== undefined) emit({ position, uid: user.uid, email: user.email, outcome: 'failed', reason: failure });
    }
    if (created.length === 0) return;
    // The version is read back after the import: a later password change moves it, and the hash is then stale.
    const versions = await deps.accounts.credentialVersions(created.map(({ user }) => user.uid));
    const importedAt = now().toISOString();
    await deps.credentials.save(
      created.map(({ user }) => ({
        uid: user.uid,
        email: user.email,
        hash: user.hash,
        accountVersion: versions.get(user.uid) ?? null,
        source: options.source,
        importedAt,
      })),
    );
    for (const { position, user } of created) {
      await deps.audit.record({ actor: `import:${options.source}`, uid: user.uid, email: user.email, from: [], to: user.roles });
      emit({ position, uid: user.uid, email: user.email, outcome: 'created' });
    }
  }
}
