/**
 * A run's checkpoint and its lease in memory, as the Firestore checkpoint store keeps them: stores
 * made over one `CheckpointDocument` are runs of one tool sharing its checkpoint, each with a lease
 * holder of its own. A live lease of another run refuses `acquire`; a run whose lease another took
 * cannot `save`. Leases here end when released or taken over (a fake has no process to outlive).
 */
import { randomUUID } from 'node:crypto';
import { ConflictError } from '../../../functions/domain/errors.js';
import type { CheckpointStore, Lease, LeasedCheckpoint } from '../../../functions/domain/ports/checkpoint-store.js';

const LEASE_TTL_MS = 120_000;

/** The one stored checkpoint the runs of a tool share. */
export class CheckpointDocument<T extends LeasedCheckpoint> {
  value: T | undefined;
  /** Bumped on every write: a run's last write at another version means another run took over. */
  version = 0;
}

export class InMemoryCheckpointStore<T extends LeasedCheckpoint> implements CheckpointStore<T> {
  private readonly holder = `fake-run-${randomUUID()}`;
  private lastWrite: number | undefined;

  constructor(
    readonly document: CheckpointDocument<T> = new CheckpointDocument<T>(),
    private readonly label = 'The run',
  ) {}

  read(): Promise<T | undefined> {
    return Promise.resolve(this.document.value && structuredClone(this.document.value));
  }

  acquire(start: (previous: T | undefined) => T): Promise<T> {
    const previous = this.document.value && structuredClone(this.document.value);
    const lease = previous?.lease;
    if (lease && Date.parse(lease.expiresAt) > Date.now()) {
      return Promise.reject(new ConflictError(`${this.label} is being run by ${lease.holder} (lease until ${lease.expiresAt}); wait for it to finish`));
    }
    const checkpoint: T = { ...start(previous), lease: this.freshLease() };
    this.write(checkpoint);
    return Promise.resolve(structuredClone(checkpoint));
  }

  save(checkpoint: T & { updatedAt: string }, release = false): Promise<void> {
    if (this.lastWrite !== this.document.version) return Promise.reject(new ConflictError(`The lease on ${this.label} was lost to another run; stopping`));
    this.write({ ...checkpoint, updatedAt: new Date().toISOString(), lease: release ? null : this.freshLease() });
    return Promise.resolve();
  }

  private freshLease(): Lease {
    return { holder: this.holder, host: 'in-memory', pid: 0, expiresAt: new Date(Date.now() + LEASE_TTL_MS).toISOString() };
  }

  private write(checkpoint: T): void {
    this.document.value = structuredClone(checkpoint);
    this.lastWrite = ++this.document.version;
  }
}
