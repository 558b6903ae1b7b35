/**
 * Names that code, cloudbuild.yaml and infra/ must agree on. The deployment consistency test
 * compares them; change a name here and in the deployment files together.
 */
export const FUNCTION_ENTRY_POINTS = {
  api: 'api',
  processAlbumArt: 'processAlbumArt',
  generateVariants: 'generateVariants',
} as const;

export const DEFAULT_TOPICS = {
  albumArtJobs: 'album-art-jobs',
  albumArtDeadLetter: 'album-art-jobs-dead-letter',
} as const;

export const DEFAULT_BUCKETS = {
  assets: 'nna_registry_assets',
  albumArt: 'nna-registry-album-art',
} as const;
