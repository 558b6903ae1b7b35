import type { CheckpointStore, LeasedCheckpoint } from '../domain/ports/checkpoint-store.js';

/**
 * Checkpoint writes, one at a time: a request made while a write is in flight replaces any waiting
 * one, so batches never wait on the checkpoint and it never falls more than one write behind.
 */
export class CheckpointWriter<T extends LeasedCheckpoint & { updatedAt: string }> {
  private waiting: T | undefined;
  private running: Promise<void> | undefined;
  private failure: unknown;

  constructor(private readonly store: CheckpointStore<T>) {}

  request(checkpoint: T): void {
    this.waiting = checkpoint;
    this.running ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting) {
        const next = this.waiting;
        this.waiting = undefined;
        await this.store.save(next);
      }
    } catch (error) {
      // Kept and rethrown by close(): a lost lease or an unreachable database ends the run there.
      this.failure = error;
    } finally {
      this.running = undefined;
    }
  }

  /** Waits for pending writes, then writes the final state and releases the lease. */
  async close(final: T): Promise<void> {
    this.waiting = undefined;
    await this.running;
    if (this.failure !== undefined) throw this.failure;
    await this.store.save(final, true);
  }
}
