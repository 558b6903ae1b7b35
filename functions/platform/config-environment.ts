/**
 * The environment variables the functions read, as one zod schema: their names, types, bounds and
 * defaults. platform/config.ts parses the environment with it once, at start, and builds the
 * configuration; docs/configuration.md lists every variable.
 */
import { z } from 'zod';
import { albumArtEnvironment } from './album-art-config.js';

const MIB = 1024 * 1024;
/** Cloud Functions refuses HTTP requests above 32 MiB; the API states its own, lower limit. */
const PLATFORM_REQUEST_CAP = 32 * MIB;

const booleanText = z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']).transform((value) => ['true', '1', 'yes', 'on'].includes(value));

export const environmentSchema = z.object({
  DEPLOY_ENV: z.enum(['local', 'test', 'dev', 'staging', 'production']).default('local'),
  GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
  GCLOUD_PROJECT: z.string().min(1).optional(),
  K_SERVICE: z.string().optional(),
  FIRESTORE_EMULATOR_HOST: z.string().optional(),
  PUBSUB_EMULATOR_HOST: z.string().optional(),
  ASSETS_COLLECTION: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('assets'),
  AUTH_MODE: z.enum(['dev', 'google']).optional(),
  AUTH_AUDIENCE: z.string().optional(),
  FIREBASE_PROJECT_ID: z
    .string()
    .regex(/^[a-z0-9-]{4,30}$/)
    .optional(),
  FIREBASE_API_KEY: z.string().min(1).optional(),
  FIREBASE_AUTH_EMULATOR_HOST: z
    .string()
    .regex(/^[\w.-]+:\d+$/)
    .optional(),
  DEV_TOKENS_FROM_NETWORK: booleanText.default(false),
  REGISTRATION_ROLES: z.string().optional(),
  SERVICE_ACCOUNT_ROLES: z.string().optional(),
  ROLE_AUDIT_COLLECTION: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('role_audit'),
  LEGACY_CREDENTIALS_COLLECTION: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('legacy_credentials'),
  // Sign-in throttling (functions/sign-in/sign-in-throttle.ts): failed attempts per window, per account and per client address.
  SIGN_IN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(5),
  SIGN_IN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(20),
  SIGN_IN_THROTTLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  PUBLIC_READS: booleanText.default(true),
  BLOB_STORE: z.enum(['fs', 'gcs']).optional(),
  BLOB_DIR: z.string().default('.data/blobs'),
  ASSETS_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/)
    .default('nna_registry_assets'),
  BLOB_PUBLIC_BASE_URL: z.url().optional(),
  STORAGE_EVENTS_URL: z.url().optional(),
  SEQUENCE_JOURNAL_FILE: z.string().min(1).optional(),
  VARIANT_CROP: z.enum(['cover-centre', 'cover-attention', 'cover-entropy']).default('cover-centre'),
  MAX_REQUEST_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(PLATFORM_REQUEST_CAP - MIB)
    .default(30 * MIB),
  CORS_ALLOWED_ORIGINS: z.string().min(1).optional(),
  FIRESTORE_DEADLINE_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  // How old a shared listing page may be across instances (functions/http/shared-listings.ts).
  LISTING_SHARE_MS: z.coerce.number().int().min(0).max(10_000).default(1000),
  // Flags have no default here: an unset FLAG_<NAME> means "no environment override" (defaults in code).
  FLAG_CREATOR_DESCRIPTION: booleanText.optional(),
  FLAG_ALBUM_ART_PIPELINE: booleanText.optional(),
  FLAG_MIGRATION_WRITES: booleanText.optional(),
  FLAG_VARIANT_ORIGINAL_WEBP: booleanText.optional(),
  FLAG_VARIANT_ORIGINAL_AVIF: booleanText.optional(),
  FLAG_ALBUM_ART_AS_URL: booleanText.optional(),
  // Firestore overrides apply within this time on every instance; the issue asks for 30 s at most.
  FLAGS_CACHE_TTL_MS: z.coerce.number().int().min(0).max(30_000).default(10_000),
  FLAGS_DOCUMENT: z
    .string()
    .regex(/^[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+$/)
    .default('config/flags'),
  METRICS_AGGREGATES: booleanText.default(true),
  METRICS_COLLECTION: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('ops_metrics'),
  METRICS_FLUSH_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  METRICS_SHARDS: z.coerce.number().int().min(1).max(100).default(10),
  MIGRATIONS_COLLECTION: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('migrations'),
  READINESS_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3_000),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR']).default('INFO'),
  ...albumArtEnvironment,
  MIGRATION_TEST_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  DELETED_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  HISTORY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  HISTORY_ENABLED: booleanText.default(true),
  IDEMPOTENCY_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
  IDEMPOTENCY_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(15_000),
});

export type VariantCrop = z.infer<typeof environmentSchema>['VARIANT_CROP'];
/** Every environment variable the suite reads; the deployment consistency test checks deploys against it. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(environmentSchema.shape);
