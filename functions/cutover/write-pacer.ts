/**
 * Paces the importer's writes. By default it follows Firestore's ramp-up guidance for a new
 * collection (the 500/50/5 rule: start at 500 operations per second, grow by 50% every 5 minutes);
 * `--max-writes-per-second` sets a fixed rate instead, or lifts the limit (the benchmark). Each
 * commit reserves its operations' share of a second: the first commit goes at once, the next waits
 * until the rate allows it. The clock is injected, so the pacing is tested without waiting.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type WriteRate = { kind: 'ramp' } | { kind: 'fixed'; perSecond: number } | { kind: 'unlimited' };

const RAMP_START_PER_SECOND = 500;
const RAMP_GROWTH = 1.5;
export const RAMP_STEP_MS = 5 * 60 * 1000;

export class WritePacer {
  private startedAt: number | undefined;
  /** When the next commit may start: the end of the time the commits so far reserved. */
  private nextAt = 0;

  constructor(
    readonly rate: WriteRate,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Operations per second allowed `elapsedMs` after the first commit. */
  rateAt(elapsedMs: number): number {
    if (this.rate.kind === 'unlimited') return Infinity;
    if (this.rate.kind === 'fixed') return this.rate.perSecond;
    return RAMP_START_PER_SECOND * RAMP_GROWTH ** Math.floor(Math.max(0, elapsedMs) / RAMP_STEP_MS);
  }

  /** Waits until `operations` more writes are within the rate, and reserves them. */
  async take(operations: number): Promise<void> {
    if (this.rate.kind === 'unlimited' || operations <= 0) return;
    const now = this.clock.now();
    this.startedAt ??= now;
    const start = Math.max(now, this.nextAt);
    this.nextAt = start + (operations * 1000) / this.rateAt(start - this.startedAt);
    if (start > now) await this.clock.sleep(start - now);
  }
}
