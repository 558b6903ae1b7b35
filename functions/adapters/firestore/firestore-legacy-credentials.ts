/**
 * Imported users' legacy credentials in Firestore, one document per lowercased email:
 * `{ uid, email, state, hash?, accountVersion?, source, importedAt, forgottenAt? }`. While `state` is
 * `waiting` the document holds the old backend's bcrypt hash; once the user has signed in with it
 * (`adopted`) or it went stale (`stale`), the hash is deleted and the rest stays, so that a later
 * import never brings the hash back. Server-side only: no route serves this collection.
 */
import { FieldValue, type Firestore } from '@google-cloud/firestore';
import type { LegacyCredential, LegacyCredentialRecord, LegacyCredentialState, LegacyCredentialStore } from '../../domain/ports/legacy-credentials.js';
import { withFirestoreErrors } from './firestore-errors.js';

function keyOf(email: string): string {
  return email.trim().toLowerCase();
}

export class FirestoreLegacyCredentials implements LegacyCredentialStore {
  constructor(
    private readonly firestore: Firestore,
    private readonly collection: string,
    private readonly deadlineMs?: number,
  ) {}

  private doc(email: string) {
    return this.firestore.collection(this.collection).doc(keyOf(email));
  }

  find(email: string): Promise<LegacyCredential | undefined> {
    return withFirestoreErrors(async () => {
      const snapshot = await this.doc(email).get();
      const data = snapshot.data();
      if (!data || data['state'] !== 'waiting' || typeof data['hash'] !== 'string' || typeof data['uid'] !== 'string') return undefined;
      const version = data['accountVersion'] as unknown;
      return { uid: data['uid'], hash: data['hash'], accountVersion: typeof version === 'string' ? version : null };
    }, this.deadlineMs);
  }

  forget(email: string, reason: 'adopted' | 'stale'): Promise<void> {
    return withFirestoreErrors(async () => {
      await this.doc(email).update({ state: reason, hash: FieldValue.delete(), accountVersion: FieldValue.delete(), forgottenAt: new Date().toISOString() });
    }, this.deadlineMs);
  }

  adoptedSince(email: string, since: Date): Promise<boolean> {
    return withFirestoreErrors(async () => {
      const data = (await this.doc(email).get()).data();
      const forgottenAt = data?.['forgottenAt'] as unknown;
      return data?.['state'] === 'adopted' && typeof forgottenAt === 'string' && Date.parse(forgottenAt) >= since.getTime();
    }, this.deadlineMs);
  }

  statuses(emails: readonly string[]): Promise<Map<string, { uid: string; state: LegacyCredentialState }>> {
    return withFirestoreErrors(async () => {
      const found = new Map<string, { uid: string; state: LegacyCredentialState }>();
      if (emails.length === 0) return found;
      const snapshots = await this.firestore.getAll(...emails.map((email) => this.doc(email)));
      for (const snapshot of snapshots) {
        const data = snapshot.data();
        if (data) found.set(snapshot.id, { uid: String(data['uid']), state: data['state'] as LegacyCredentialState });
      }
      return found;
    }, this.deadlineMs);
  }

  save(records: readonly LegacyCredentialRecord[]): Promise<void> {
    return withFirestoreErrors(async () => {
      if (records.length === 0) return;
      const batch = this.firestore.batch();
      for (const record of records) {
        batch.set(this.doc(record.email), {
          uid: record.uid,
          email: keyOf(record.email),
          state: 'waiting',
          hash: record.hash,
          accountVersion: record.accountVersion,
          source: record.source,
          importedAt: record.importedAt,
        });
      }
      await batch.commit();
    }, this.deadlineMs);
  }
}
