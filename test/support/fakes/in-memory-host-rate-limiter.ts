/** A request budget per host and minute in memory, as the Firestore host rate limiter keeps it (0: no limit). */
const WINDOW_MS = 60_000;

export class InMemoryHostRateLimiter {
  private readonly used = new Map<string, number>();

  constructor(
    private readonly perMinute: number,
    private readonly clock: () => number = Date.now,
  ) {}

  tryAcquire(host: string): Promise<boolean> {
    if (this.perMinute === 0) return Promise.resolve(true);
    const key = `${host} ${Math.floor(this.clock() / WINDOW_MS)}`;
    const used = this.used.get(key) ?? 0;
    if (used >= this.perMinute) return Promise.resolve(false);
    this.used.set(key, used + 1);
    return Promise.resolve(true);
  }
}
