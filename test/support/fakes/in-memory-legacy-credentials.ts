/** Imported users' legacy credentials in memory, by lowercased email, as the Firestore store keeps them. */
import type {
  LegacyCredential,
  LegacyCredentialRecord,
  LegacyCredentialState,
  LegacyCredentialStore,
} from '../../../functions/domain/ports/legacy-credentials.js';

interface CredentialRecord {
  uid: string;
  state: LegacyCredentialState;
  hash?: string;
  accountVersion?: string | null;
  forgottenAt?: number;
}

function keyOf(email: string): string {
  return email.trim().toLowerCase();
}

export class InMemoryLegacyCredentials implements LegacyCredentialStore {
  private readonly records = new Map<string, CredentialRecord>();

  find(email: string): Promise<LegacyCredential | undefined> {
    const record = this.records.get(keyOf(email));
    if (!record || record.state !== 'waiting' || record.hash === undefined) return Promise.resolve(undefined);
    return Promise.resolve({ uid: record.uid, hash: record.hash, accountVersion: record.accountVersion ?? null });
  }

  forget(email: string, reason: 'adopted' | 'stale'): Promise<void> {
    const record = this.records.get(keyOf(email));
    // Firestore's update of a missing document fails the same way.
    if (!record) return Promise.reject(new Error(`No legacy credential for ${keyOf(email)}`));
    this.records.set(keyOf(email), { uid: record.uid, state: reason, forgottenAt: Date.now() });
    return Promise.resolve();
  }

  adoptedSince(email: string, since: Date): Promise<boolean> {
    const record = this.records.get(keyOf(email));
    return Promise.resolve(record?.state === 'adopted' && record.forgottenAt! >= since.getTime());
  }

  statuses(emails: readonly string[]): Promise<Map<string, { uid: string; state: LegacyCredentialState }>> {
    const found = new Map<string, { uid: string; state: LegacyCredentialState }>();
    for (const email of emails) {
      const record = this.records.get(keyOf(email));
      if (record) found.set(keyOf(email), { uid: record.uid, state: record.state });
    }
    return Promise.resolve(found);
  }

  save(records: readonly LegacyCredentialRecord[]): Promise<void> {
    for (const record of records) {
      this.records.set(keyOf(record.email), { uid: record.uid, state: 'waiting', hash: record.hash, accountVersion: record.accountVersion });
    }
    return Promise.resolve();
  }
}
