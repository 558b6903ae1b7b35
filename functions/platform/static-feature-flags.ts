import type { FeatureFlags, FlagName } from '../domain/ports/feature-flags.js';

/** Flags fixed for the life of the process (from configuration). */
export class StaticFeatureFlags implements FeatureFlags {
  constructor(private readonly values: Record<FlagName, boolean>) {}

  async isEnabled(flag: FlagName): Promise<boolean> {
    return this.values[flag];
  }
}
