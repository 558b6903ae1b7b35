/**
 * Configuration: read from the environment once, validated, frozen. Every variable is listed in the
 * README's configuration table; a bad value stops the process at start with a message naming it.
 */
import { z } from 'zod';
import type { FlagName } from '../domain/ports/feature-flags.js';

const MIB = 1024 * 1024;
/** Cloud Functions refuses HTTP requests above 32 MiB; the API states its own, lower limit. */
const PLATFORM_REQUEST_CAP = 32 * MIB;

const booleanText = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

const environmentSchema = z.object({
  DEPLOY_ENV: z.enum(['local', 'test', 'dev', 'staging', 'production']).default('local'),
  GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
  GCLOUD_PROJECT: z.string().min(1).optional(),
  K_SERVICE: z.string().optional(),
  FIRESTORE_EMULATOR_HOST: z.string().optional(),
  PUBSUB_EMULATOR_HOST: z.string().optional(),
  ASSETS_COLLECTION: z.string().regex(/^[A-Za-z0-9_-]+$/).default('assets'),
  AUTH_MODE: z.enum(['dev', 'google']).optional(),
  AUTH_AUDIENCE: z.string().optional(),
  PUBLIC_READS: booleanText.default(true),
  BLOB_STORE: z.enum(['fs', 'gcs']).optional(),
  BLOB_DIR: z.string().default('.data/blobs'),
  ASSETS_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/).default('nna_registry_assets'),
  BLOB_PUBLIC_BASE_URL: z.url().optional(),
  MAX_REQUEST_BYTES: z.coerce.number().int().min(1024).max(PLATFORM_REQUEST_CAP - MIB).default(30 * MIB),
  CORS_ALLOWED_ORIGIN: z.string().min(1).default('*'),
  FIRESTORE_DEADLINE_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  FLAG_CREATOR_DESCRIPTION: booleanText.default(true),
  FLAG_ALBUM_ART_PIPELINE: booleanText.default(true),
  FLAG_MIGRATION_WRITES: booleanText.default(true),
  FLAG_VARIANT_ORIGINAL_WEBP: booleanText.default(false),
  FLAG_VARIANT_ORIGINAL_AVIF: booleanText.default(false),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR']).default('INFO'),
});

export type DeployEnv = z.infer<typeof environmentSchema>['DEPLOY_ENV'];

export interface Config {
  readonly deployEnv: DeployEnv;
  readonly projectId: string;
  readonly assetsCollection: string;
  readonly auth: { readonly mode: 'dev' | 'google'; readonly audience: string | undefined; readonly publicReads: boolean };
  readonly blobStore: {
    readonly kind: 'fs' | 'gcs';
    readonly directory: string;
    readonly bucket: string;
    readonly publicBaseUrl: string;
  };
  readonly maxRequestBytes: number;
  readonly corsOrigin: string;
  readonly firestoreDeadlineMs: number;
  /** Flag values from the environment (FLAG_<NAME>); issue 7 layers Firestore overrides on top. */
  readonly flagDefaults: Readonly<Record<FlagName, boolean>>;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
}

export class ConfigError extends Error {}

/** Builds the configuration from an environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const values = parsed.data;
  const inCloud = values.K_SERVICE !== undefined;
  const localLike = values.DEPLOY_ENV === 'local' || values.DEPLOY_ENV === 'test';
  if (inCloud && localLike) {
    throw new ConfigError(`DEPLOY_ENV=${values.DEPLOY_ENV} is for this machine only; on Cloud Functions set dev, staging or production`);
  }
  if (localLike && !values.FIRESTORE_EMULATOR_HOST) {
    throw new ConfigError('FIRESTORE_EMULATOR_HOST must be set when DEPLOY_ENV is local or test (npm start and npm test set it)');
  }
  const authMode = values.AUTH_MODE ?? (localLike ? 'dev' : 'google');
  if (authMode === 'dev' && !localLike) {
    throw new ConfigError(`AUTH_MODE=dev accepts unsigned tokens and is refused when DEPLOY_ENV=${values.DEPLOY_ENV}`);
  }
  const bucket = values.ASSETS_BUCKET;
  const config: Config = {
    deployEnv: values.DEPLOY_ENV,
    projectId: values.GOOGLE_CLOUD_PROJECT ?? values.GCLOUD_PROJECT ?? 'nna-registry-local',
    assetsCollection: values.ASSETS_COLLECTION,
    auth: { mode: authMode, audience: values.AUTH_AUDIENCE, publicReads: values.PUBLIC_READS },
    blobStore: {
      kind: values.BLOB_STORE ?? (localLike ? 'fs' : 'gcs'),
      directory: values.BLOB_DIR,
      bucket,
      publicBaseUrl: (values.BLOB_PUBLIC_BASE_URL ?? `https://storage.googleapis.com/${bucket}`).replace(/\/+$/, ''),
    },
    maxRequestBytes: values.MAX_REQUEST_BYTES,
    corsOrigin: values.CORS_ALLOWED_ORIGIN,
    firestoreDeadlineMs: values.FIRESTORE_DEADLINE_MS,
    flagDefaults: {
      CREATOR_DESCRIPTION: values.FLAG_CREATOR_DESCRIPTION,
      ALBUM_ART_PIPELINE: values.FLAG_ALBUM_ART_PIPELINE,
      MIGRATION_WRITES: values.FLAG_MIGRATION_WRITES,
      VARIANT_ORIGINAL_WEBP: values.FLAG_VARIANT_ORIGINAL_WEBP,
      VARIANT_ORIGINAL_AVIF: values.FLAG_VARIANT_ORIGINAL_AVIF,
    },
    logLevel: values.LOG_LEVEL,
  };
  return Object.freeze(config);
}

let cached: Config | undefined;

/** The process's configuration, validated on first use (at module start in each entry point). */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}
