/**
 * Counted attempts shared by every instance (sign-in throttling): each budget allows `limit`
 * attempts per fixed window of `windowMs`, counted under `key`.
 */
export interface AttemptBudget {
  readonly key: string;
  readonly limit: number;
  readonly windowMs: number;
}

/** The attempts `take` counted, to give back: each budget's key and the window it was counted in. */
export interface TakenAttempt {
  readonly counted: ReadonlyArray<{ readonly key: string; readonly window: number; readonly windowMs: number }>;
}

export type TakeOutcome = { granted: true; taken: TakenAttempt } | { granted: false; retryAfterMs: number };

export interface AttemptCounters {
  /**
   * Counts one attempt against every budget, unless one of them has no attempt left in its current
   * window: then none is counted, and `retryAfterMs` says when the first spent budget has again.
   */
  take(budgets: readonly AttemptBudget[], now: Date): Promise<TakeOutcome>;
  /** Uncounts an attempt that turned out not to be a failure; the keys in `clear` start from zero. */
  giveBack(taken: TakenAttempt, clear: readonly string[]): Promise<void>;
}
