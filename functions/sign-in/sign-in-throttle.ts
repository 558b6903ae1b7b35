/**
 * Sign-in throttling. The API proxies sign-in to Firebase, so Firebase's own protection sees one
 * client (this function) for every user; the limits are therefore kept here, per account and per
 * client address, in Firestore so every instance counts the same attempts.
 *
 * An attempt is counted before the password is checked, so a burst of fifty at once gets at most
 * the limit through (counting after would let all fifty be tried); it is given back when it turns
 * out not to be a failure (the account's count starts over after a success; the address's loses
 * only that attempt, so an attacker cannot clear it with an account of their own). Whatever the
 * identity provider refuses counts, an imported user's wrong old (bcrypt) password included. Over
 * a limit: 429 with Retry-After, without asking the identity provider, so the right password does
 * not get through either until the window ends; other accounts are not affected, except through
 * the address's own limit.
 */
import { RateLimitedError, UnauthenticatedError } from '../domain/errors.js';
import type { AttemptBudget, AttemptCounters } from '../domain/ports/attempt-counters.js';

interface ThrottleLimit {
  /** Failed attempts allowed per window. */
  failures: number;
  windowMs: number;
}

interface SignInThrottlePolicy {
  account: ThrottleLimit;
  address: ThrottleLimit;
}

export interface SignInThrottleDependencies {
  counters: AttemptCounters;
  policy: SignInThrottlePolicy;
  clock?: () => Date;
  /** Told when an attempt could not be given back after it succeeded (the sign-in still succeeds). */
  onGiveBackFailure?: (error: unknown) => void;
}

export class SignInThrottle {
  private readonly clock: () => Date;

  constructor(private readonly deps: SignInThrottleDependencies) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Runs one sign-in attempt for `email` from `address` within the limits. */
  async attempt<T>(email: string, address: string | undefined, signIn: () => Promise<T>): Promise<T> {
    const account = `account\n${email.trim().toLowerCase()}`;
    const budgets: AttemptBudget[] = [{ key: account, limit: this.deps.policy.account.failures, windowMs: this.deps.policy.account.windowMs }];
    if (address !== undefined)
      budgets.push({ key: `address\n${address}`, limit: this.deps.policy.address.failures, windowMs: this.deps.policy.address.windowMs });
    const outcome = await this.deps.counters.take(budgets, this.clock());
    if (!outcome.granted) {
      const seconds = Math.max(1, Math.ceil(outcome.retryAfterMs / 1000));
      throw new RateLimitedError(`Too many failed sign-ins for this account or from this address; try again in ${seconds} s`, seconds);
    }
    let result: T;
    try {
      result = await signIn();
    } catch (error) {
      // A refused password stays counted; anything else (the identity provider down) was no failure of the caller's.
      if (!(error instanceof UnauthenticatedError)) await this.giveBack(outcome.taken, []);
      throw error;
    }
    await this.giveBack(outcome.taken, [account]);
    return result;
  }

  private async giveBack(taken: Parameters<AttemptCounters['giveBack']>[0], clear: readonly string[]): Promise<void> {
    try {
      await this.deps.counters.giveBack(taken, clear);
    } catch (error) {
      (this.deps.onGiveBackFailure ?? (() => undefined))(error);
    }
  }
}
