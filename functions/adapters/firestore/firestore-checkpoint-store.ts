/**
 * A run's checkpoint document and its lease (the port: domain/ports/checkpoint-store.ts), for the
 * migration runner and the importer. A lease keeps two runs of one migration from overlapping:
 * it is taken when a run starts, renewed with every checkpoint and released at the end. A lease is
 * free when it has expired, or when its holder was a process on this machine that no longer exists
 * (a run killed with SIGKILL can be resumed at once). Writes are optimistic (a precondition on the
 * updateTime of the last read or write) rather than transactions, so a run killed mid-write leaves
 * no lock behind.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { DocumentData, DocumentReference, Firestore, Timestamp, UpdateData } from '@google-cloud/firestore';
import type { z } from 'zod';
import { ConflictError } from '../../domain/errors.js';
import type { CheckpointStore, Lease, LeasedCheckpoint } from '../../domain/ports/checkpoint-store.js';
import { withFirestoreErrors, withFirestoreWrite } from './firestore-errors.js';
import { isPreconditionFailure } from './firestore-writes.js';

const LEASE_TTL_MS = 120_000;
const ALREADY_EXISTS = 6;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; ESRCH: it is gone.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function leaseIsLive(lease: Lease | null, now: number): lease is Lease {
  if (!lease || Date.parse(lease.expiresAt) <= now) return false;
  return lease.host !== os.hostname() || processAlive(lease.pid);
}

/** Where a tool keeps its checkpoints (a migration's, the importer's), and how its messages name the run. */
export interface CheckpointLocation<T extends LeasedCheckpoint> {
  collection: string;
  schema: z.ZodType<T>;
  /** The run as messages name it, e.g. `Migration 2025-06-creator-description`. */
  label: string;
}

export class FirestoreCheckpointStore<T extends LeasedCheckpoint> implements CheckpointStore<T> {
  private readonly reference: DocumentReference;
  private readonly lease: Omit<Lease, 'expiresAt'>;
  private readonly schema: z.ZodType<T>;
  private readonly label: string;
  /** updateTime of this run's last checkpoint write: a different one means another run took over. */
  private lastWrite: Timestamp | undefined;

  constructor(
    db: Firestore,
    id: string,
    operator: string,
    location: CheckpointLocation<T>,
    /** How long one read or write may take (the client would retry an unreachable database for ever); the adapter's default otherwise. */
    private readonly deadlineMs?: number,
  ) {
    this.reference = db.collection(location.collection).doc(id);
    this.schema = location.schema;
    this.label = location.label;
    this.lease = { holder: `${operator}@${os.hostname()}#${process.pid}#${randomUUID()}`, host: os.hostname(), pid: process.pid };
  }

  async read(): Promise<T | undefined> {
    const snapshot = await withFirestoreErrors(() => this.reference.get(), this.deadlineMs);
    return snapshot.exists ? this.schema.parse(snapshot.data()) : undefined;
  }

  private freshLease(): Lease {
    return { ...this.lease, expiresAt: new Date(Date.now() + LEASE_TTL_MS).toISOString() };
  }

  /** Takes the lease and writes the checkpoint `start` derives from the previous one; refuses a live lease of another run. */
  async acquire(start: (previous: T | undefined) => T): Promise<T> {
    const snapshot = await withFirestoreErrors(() => this.reference.get(), this.deadlineMs);
    const previous = snapshot.exists ? this.schema.parse(snapshot.data()) : undefined;
    if (previous && leaseIsLive(previous.lease, Date.now())) {
      throw new ConflictError(`${this.label} is being run by ${previous.lease.holder} (lease until ${previous.lease.expiresAt}); wait for it to finish`);
    }
    const checkpoint: T = { ...start(previous), lease: this.freshLease() };
    try {
      const result = await withFirestoreWrite(
        () =>
          snapshot.exists
            ? this.reference.update(checkpoint as UpdateData<DocumentData>, { lastUpdateTime: snapshot.updateTime! })
            : this.reference.create(checkpoint as DocumentData),
        this.deadlineMs,
      );
      this.lastWrite = result.writeTime;
    } catch (error) {
      if (isPreconditionFailure(error) || (error as { code?: unknown }).code === ALREADY_EXISTS) {
        throw new ConflictError(`Another run of ${this.label} started at the same moment; wait for it to finish`);
      }
      throw error;
    }
    return checkpoint;
  }

  /** Writes progress and renews the lease; `release` ends the lease with the final state. */
  async save(checkpoint: T & { updatedAt: string }, release = false): Promise<void> {
    const data = { ...checkpoint, updatedAt: new Date().toISOString(), lease: release ? null : this.freshLease() };
    try {
      const result = await withFirestoreWrite(
        () => this.reference.update(data as UpdateData<DocumentData>, { lastUpdateTime: this.lastWrite! }),
        this.deadlineMs,
      );
      this.lastWrite = result.writeTime;
    } catch (error) {
      if (isPreconditionFailure(error)) throw new ConflictError(`The lease on ${this.label} was lost to another run; stopping`);
      throw error;
    }
  }
}
