/**
 * A long run's checkpoint (a migration's, the importer's) with its lease: one run at a time, resumable
 * after a kill. The Firestore adapter is adapters/firestore/firestore-checkpoint-store.ts.
 */
import type { Lease } from '../schemas/lease.js';

export type { Lease };

export interface LeasedCheckpoint {
  lease: Lease | null;
}

export interface CheckpointStore<T extends LeasedCheckpoint> {
  read(): Promise<T | undefined>;
  /** Takes the lease and writes the checkpoint `start` derives from the previous one; refuses (ConflictError) a live lease of another run. */
  acquire(start: (previous: T | undefined) => T): Promise<T>;
  /** Writes progress and renews the lease; `release` ends the lease with the final state. */
  save(checkpoint: T & { updatedAt: string }, release?: boolean): Promise<void>;
}
