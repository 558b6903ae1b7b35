/**
 * Feature flags with three sources, highest first:
 *   1. the environment (`FLAG_<NAME>`, only when set explicitly; for the local stack and emergencies),
 *   2. the flags document in Firestore (`config/flags`), changed with `PUT /api/admin/flags`,
 *   3. the defaults in code (`FLAG_DEFAULTS`).
 * The document is read at most once per `cacheTtlMs` per instance, so a change applies everywhere
 * within that time without a deploy. If Firestore cannot be read, the last values read stay in use
 * (or the defaults, before any read) and the failure is logged: a flags outage never fails a request.
 */
import { FieldValue, Timestamp, type Firestore } from '@google-cloud/firestore';
import { FLAG_DEFAULTS, FLAG_NAMES, type FlagName } from '../../domain/ports/feature-flags.js';
import type { Logger } from '../../platform/logger.js';
import { withFirestoreErrors } from '../../adapters/firestore/firestore-errors.js';
import type { FlagAuditEntry, FlagChange, FlagState, FlagUpdate, FlagsView } from '../flags/flag-schemas.js';
import type { ManagedFeatureFlags } from '../flags/managed-feature-flags.js';

export interface FirestoreFeatureFlagsOptions {
  /** `collection/document` of the flags document. */
  document: string;
  cacheTtlMs: number;
  envOverrides: Readonly<Partial<Record<FlagName, boolean>>>;
  logger: Logger;
  now?: () => number;
  /** How long one Firestore call may take before it is a 503 (config.firestoreDeadlineMs); the adapter's default otherwise. */
  deadlineMs?: number;
}

type StoredValues = Partial<Record<FlagName, boolean>>;

interface StoredFlags {
  values: StoredValues;
  updatedAt: string | null;
  updatedBy: string | null;
}

const EMPTY: StoredFlags = { values: {}, updatedAt: null, updatedBy: null };

function isoOf(value: unknown): string | null {
  return value instanceof Timestamp ? value.toDate().toISOString() : null;
}

export class FirestoreFeatureFlags implements ManagedFeatureFlags {
  private cached: StoredFlags | undefined;
  private expiresAt = 0;
  private loading: Promise<StoredFlags> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly firestore: Firestore,
    private readonly options: FirestoreFeatureFlagsOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  private withDeadline<T>(operation: () => Promise<T>): Promise<T> {
    return withFirestoreErrors(operation, this.options.deadlineMs);
  }

  async isEnabled(flag: FlagName): Promise<boolean> {
    const environment = this.options.envOverrides[flag];
    if (environment !== undefined) return environment;
    const stored = await this.storedCached();
    return stored.values[flag] ?? FLAG_DEFAULTS[flag];
  }

  /** Every flag with its value and where it comes from, read fresh (admins see the truth, not a cache). */
  async view(): Promise<FlagsView> {
    return this.viewOf(await this.refresh());
  }

  /**
   * Sets or clears Firestore overrides and appends one audit entry naming who changed what, from
   * which value to which, and when, in the same transaction. This instance sees the change at once,
   * the others within the cache time.
   */
  async update(update: FlagUpdate, actor: string): Promise<{ view: FlagsView; audit: FlagAuditEntry }> {
    const reference = this.document();
    const auditReference = reference.collection('audit').doc();
    const changes = await this.withDeadline(() =>
      this.firestore.runTransaction(async (transaction) => {
        const before = await this.parse((await transaction.get(reference)).data());
        const values: StoredValues = { ...before.values };
        const changes: FlagChange[] = [];
        for (const flag of FLAG_NAMES) {
          if (!(flag in update)) continue;
          const next = update[flag] ?? null;
          const previous = before.values[flag] ?? null;
          if (next === null) delete values[flag];
          else values[flag] = next;
          changes.push({ flag, from: previous, to: next, effectiveFrom: this.effective(flag, before.values), effectiveTo: this.effective(flag, values) });
        }
        const at = FieldValue.serverTimestamp();
        transaction.set(reference, { values, updatedAt: at, updatedBy: actor });
        transaction.create(auditReference, { actor, at, changes });
        return changes;
      }),
    );
    this.expiresAt = 0;
    const view = await this.view();
    return { view, audit: { id: auditReference.id, actor, at: view.updatedAt ?? new Date(this.now()).toISOString(), changes } };
  }

  /** The newest audit entries first. */
  async auditTrail(limit: number): Promise<FlagAuditEntry[]> {
    const snapshot = await this.withDeadline(() => this.document().collection('audit').orderBy('at', 'desc').limit(limit).get());
    return snapshot.docs.map((document) => {
      const data = document.data() as { actor: string; at: unknown; changes: FlagChange[] };
      return { id: document.id, actor: data.actor, at: isoOf(data.at) ?? '', changes: data.changes };
    });
  }

  private document() {
    const [collection, id] = this.options.document.split('/') as [string, string];
    return this.firestore.collection(collection).doc(id);
  }

  private effective(flag: FlagName, values: StoredValues): boolean {
    return this.options.envOverrides[flag] ?? values[flag] ?? FLAG_DEFAULTS[flag];
  }

  private viewOf(stored: StoredFlags): FlagsView {
    const flags = {} as Record<FlagName, FlagState>;
    for (const flag of FLAG_NAMES) {
      const environment = this.options.envOverrides[flag] ?? null;
      const firestore = stored.values[flag] ?? null;
      flags[flag] = {
        value: this.effective(flag, stored.values),
        source: environment !== null ? 'environment' : firestore !== null ? 'firestore' : 'default',
        default: FLAG_DEFAULTS[flag],
        firestore,
        environment,
      };
    }
    return {
      flags,
      updatedAt: stored.updatedAt,
      updatedBy: stored.updatedBy,
      cacheTtlMs: this.options.cacheTtlMs,
      precedence: ['environment', 'firestore', 'default'],
    };
  }

  /** The schema loads with the first read of the flags, not with the API's start. */
  private async parse(data: unknown): Promise<StoredFlags> {
    const { storedFlagsSchema } = await import('../flags/flag-schemas.js');
    if (data === undefined) return EMPTY;
    const parsed = storedFlagsSchema.safeParse(data);
    if (!parsed.success) {
      this.options.logger.error('the flags document is malformed; using the defaults until it is fixed', {
        document: this.options.document,
        issues: parsed.error.issues,
      });
      return EMPTY;
    }
    return { values: parsed.data.values, updatedAt: isoOf(parsed.data.updatedAt), updatedBy: parsed.data.updatedBy ?? null };
  }

  private async refresh(): Promise<StoredFlags> {
    const stored = await this.parse((await this.withDeadline(() => this.document().get())).data());
    this.cached = stored;
    this.expiresAt = this.now() + this.options.cacheTtlMs;
    return stored;
  }

  private async storedCached(): Promise<StoredFlags> {
    if (this.cached && this.now() < this.expiresAt) return this.cached;
    // Concurrent requests share one read.
    this.loading ??= this.refresh()
      .catch((error: unknown) => {
        // Flags must not fail requests: keep the last values (or the defaults) until the next try.
        this.options.logger.warn('could not read the flags document; using the last values read', { error, document: this.options.document });
        this.expiresAt = this.now() + this.options.cacheTtlMs;
        this.cached ??= EMPTY;
        return this.cached;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }
}
