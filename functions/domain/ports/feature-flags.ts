export type FlagName = 'CREATOR_DESCRIPTION';

/** Feature flags as the code reads them; where their values come from is the adapter's business. */
export interface FeatureFlags {
  isEnabled(flag: FlagName): Promise<boolean>;
}
