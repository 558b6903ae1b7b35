/** Every flag of the suite; issue-specific flags are added here so that one adapter serves them all. */
export type FlagName =
  'CREATOR_DESCRIPTION' | 'ALBUM_ART_PIPELINE' | 'MIGRATION_WRITES' | 'VARIANT_ORIGINAL_WEBP' | 'VARIANT_ORIGINAL_AVIF' | 'ALBUM_ART_AS_URL';

/**
 * The defaults in code: what a flag is when neither the environment nor the flags document in
 * Firestore says otherwise. A new flag must get its default here (the Record type insists).
 */
export const FLAG_DEFAULTS: Readonly<Record<FlagName, boolean>> = Object.freeze({
  CREATOR_DESCRIPTION: true,
  ALBUM_ART_PIPELINE: true,
  MIGRATION_WRITES: true,
  VARIANT_ORIGINAL_WEBP: false,
  VARIANT_ORIGINAL_AVIF: false,
  // Responses show album art as the image URL the web frontend reads (functions/domain/album-art-view.ts).
  ALBUM_ART_AS_URL: true,
});

export const FLAG_NAMES = Object.keys(FLAG_DEFAULTS) as FlagName[];

/** Feature flags as the code reads them; where their values come from is the adapter's business. */
export interface FeatureFlags {
  isEnabled(flag: FlagName): Promise<boolean>;
}
