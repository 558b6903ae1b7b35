/** Feature flags in memory: the values set here, the code defaults for the others (as the Firestore flags read them). */
import { FLAG_DEFAULTS, type FeatureFlags, type FlagName } from '../../../functions/domain/ports/feature-flags.js';

export class InMemoryFeatureFlags implements FeatureFlags {
  private readonly values: Partial<Record<FlagName, boolean>>;

  constructor(values: Readonly<Partial<Record<FlagName, boolean>>> = {}) {
    this.values = { ...values };
  }

  /** Sets a flag, or clears it back to its default with undefined. */
  set(flag: FlagName, value: boolean | undefined): void {
    if (value === undefined) delete this.values[flag];
    else this.values[flag] = value;
  }

  isEnabled(flag: FlagName): Promise<boolean> {
    return Promise.resolve(this.values[flag] ?? FLAG_DEFAULTS[flag]);
  }
}
