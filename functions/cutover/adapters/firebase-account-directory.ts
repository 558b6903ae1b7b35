/**
 * Firebase Authentication accounts for the users import, through firebase-admin: imported with the
 * old backend's bcrypt hashes (`importUsers` with the BCRYPT algorithm: production Firebase verifies
 * them at sign-in), their `roles` claim and display name, under the old `_id` as uid. With
 * FIREBASE_AUTH_EMULATOR_HOST set firebase-admin talks to the Auth emulator instead.
 */
import type { UserIdentifier, UserImportRecord } from 'firebase-admin/auth';
import { credentialsVersionOf, firebaseAuth, rolesClaimOf } from '../../adapters/auth/firebase-auth-client.js';
import type { LegacyUser } from '../users/legacy-user.js';
import type { AccountDirectory, ExistingAccount } from '../users/user-import-ports.js';

export class FirebaseAccountDirectory implements AccountDirectory {
  constructor(private readonly projectId: string) {}

  async lookup(uids: readonly string[], emails: readonly string[]): Promise<ExistingAccount[]> {
    const identifiers: UserIdentifier[] = [...uids.map((uid) => ({ uid })), ...emails.map((email) => ({ email }))];
    if (identifiers.length === 0) return [];
    const { users } = await (await firebaseAuth(this.projectId)).getUsers(identifiers);
    return users.map((user) => ({ uid: user.uid, email: user.email, roles: rolesClaimOf(user) }));
  }

  async importWithBcrypt(users: readonly LegacyUser[]): Promise<Map<string, string>> {
    const failures = new Map<string, string>();
    if (users.length === 0) return failures;
    const records: UserImportRecord[] = users.map((user) => ({
      uid: user.uid,
      email: user.email,
      passwordHash: Buffer.from(user.hash, 'utf8'),
      customClaims: { roles: [...user.roles] },
      ...(user.displayName !== undefined ? { displayName: user.displayName } : {}),
      ...(user.createdAt !== undefined ? { metadata: { creationTime: new Date(user.createdAt).toUTCString() } } : {}),
    }));
    const result = await (await firebaseAuth(this.projectId)).importUsers(records, { hash: { algorithm: 'BCRYPT' } });
    for (const { index, error } of result.errors) failures.set(users[index]!.uid, error.message);
    return failures;
  }

  async credentialVersions(uids: readonly string[]): Promise<Map<string, string | null>> {
    const versions = new Map<string, string | null>();
    if (uids.length === 0) return versions;
    const { users } = await (await firebaseAuth(this.projectId)).getUsers(uids.map((uid) => ({ uid })));
    for (const user of users) versions.set(user.uid, credentialsVersionOf(user));
    return versions;
  }
}
