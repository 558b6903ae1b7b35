/** Every flag of the suite; issue-specific flags are added here so that one adapter serves them all. */
export type FlagName = 'CREATOR_DESCRIPTION' | 'ALBUM_ART_PIPELINE' | 'MIGRATION_WRITES' | 'VARIANT_ORIGINAL_WEBP' | 'VARIANT_ORIGINAL_AVIF';

/** Feature flags as the code reads them; where their values come from is the adapter's business. */
export interface FeatureFlags {
  isEnabled(flag: FlagName): Promise<boolean>;
}
