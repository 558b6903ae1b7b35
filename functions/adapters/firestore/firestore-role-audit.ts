/** The audit trail of role changes (who gave whom which roles, when), one document per change. */
import type { Firestore } from '@google-cloud/firestore';
import type { Role } from '../../domain/ports/token-verifier.js';
import type { RoleAuditEntry } from '../../domain/schemas/auth.js';

export class FirestoreRoleAudit {
  constructor(
    private readonly firestore: Firestore,
    private readonly collection: string,
  ) {}

  async record(change: { actor: string; uid: string; email: string; from: readonly Role[]; to: readonly Role[] }): Promise<RoleAuditEntry> {
    const reference = this.firestore.collection(this.collection).doc();
    const entry = { ...change, from: [...change.from], to: [...change.to], at: new Date().toISOString() };
    await reference.create(entry);
    return { id: reference.id, ...entry };
  }

  async trail(limit: number): Promise<RoleAuditEntry[]> {
    const snapshot = await this.firestore.collection(this.collection).orderBy('at', 'desc').limit(limit).get();
    return snapshot.docs.map((document) => ({ id: document.id, ...(document.data() as Omit<RoleAuditEntry, 'id'>) }));
  }
}
