/**
 * Configuration: read from the environment once, validated, frozen. Every variable is listed in the
 * configuration table in docs/configuration.md; a bad value stops the process at start with a message naming it.
 */
import { z } from 'zod';
import { FLAG_NAMES, type FlagName } from '../domain/ports/feature-flags.js';
import { ROLES, toRoles, type Role, type ServiceAccountRoles } from '../domain/ports/token-verifier.js';
import { AlbumArtConfigError, albumArtConfigOf, albumArtEnvironment, type AlbumArtConfig } from './album-art-config.js';

const MIB = 1024 * 1024;
/** Cloud Functions refuses HTTP requests above 32 MiB; the API states its own, lower limit. */
const PLATFORM_REQUEST_CAP = 32 * MIB;

const booleanText = z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']).transform((value) => ['true', '1', 'yes', 'on'].includes(value));

const environmentSchema = z.object({
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

type DeployEnv = z.infer<typeof environmentSchema>['DEPLOY_ENV'];

export interface Config {
  readonly deployEnv: DeployEnv;
  readonly projectId: string;
  readonly assetsCollection: string;
  readonly auth: {
    readonly mode: 'dev' | 'google';
    readonly audience: string | undefined;
    readonly publicReads: boolean;
    /** The Firebase project whose ID tokens are accepted and whose users sign in. */
    readonly firebaseProjectId: string;
    /** The project's web API key for Identity Toolkit; without it the sign-in routes answer 503. */
    readonly firebaseApiKey: string | undefined;
    /** Local/test only: the Auth emulator (firebase-admin reads the same variable itself). */
    readonly authEmulatorHost: string | undefined;
    /**
     * Whether unsigned tokens (dev tokens, the Auth emulator's) are accepted from callers on the
     * network too, not only from this machine. False unless DEV_TOKENS_FROM_NETWORK says so.
     */
    readonly devTokensFromNetwork: boolean;
    readonly registrationRoles: readonly Role[];
    /** Roles of service accounts (the scheduled sweep's), whose Google tokens carry no roles claim. */
    readonly serviceAccountRoles: ServiceAccountRoles;
    readonly roleAuditCollection: string;
    /** Imported users' bcrypt hashes from the old backend, kept until their first sign-in here (never served). */
    readonly legacyCredentialsCollection: string;
    /** Failed sign-ins allowed per window, per account and per client address (429 beyond). */
    readonly signInThrottle: {
      readonly account: { readonly failures: number; readonly windowMs: number };
      readonly address: { readonly failures: number; readonly windowMs: number };
    };
  };
  readonly blobStore: {
    readonly kind: 'fs' | 'gcs';
    readonly directory: string;
    readonly bucket: string;
    readonly publicBaseUrl: string;
  };
  /** The album-art bucket (originals and variants); locally `<BLOB_DIR>/album-art-bucket`. */
  readonly albumArtStore: { readonly bucket: string; readonly directory: string; readonly publicBaseUrl: string };
  /** Local/test only: where the filesystem album-art store posts `storage.object.v1.finalized` CloudEvents. */
  readonly storageEventsUrl: string | undefined;
  /** Local/test only: where the API notes every sequence number it gives out (the local stack's emulator can lose its last seconds). */
  readonly sequenceJournalFile: string | undefined;
  readonly variants: { readonly crop: VariantCrop };
  readonly maxRequestBytes: number;
  /** Browser origins answered with credentials; `*` answers any other origin without them. */
  readonly corsOrigins: readonly string[];
  readonly firestoreDeadlineMs: number;
  /** Identical listing requests share a page whose read started at most this long before they arrived (0: never). */
  readonly listingShareMs: number;
  /** Only the flags the environment sets explicitly (FLAG_<NAME>); they win over Firestore. */
  readonly flagEnvOverrides: Readonly<Partial<Record<FlagName, boolean>>>;
  readonly flags: { readonly cacheTtlMs: number; readonly document: string };
  readonly metrics: {
    readonly aggregates: boolean;
    readonly collection: string;
    readonly flushMs: number;
    readonly shards: number;
  };
  readonly migrationsCollection: string;
  readonly readinessTimeoutMs: number;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
  readonly albumArt: AlbumArtConfig;
  /** Test-only pause before each migration commit, so tests can write while a run is in flight. */
  readonly migrationTestDelayMs: number;
  /** Soft delete, history and idempotency keys (docs/data-safety.md). */
  readonly dataSafety: {
    readonly deletedRetentionDays: number;
    readonly historyRetentionDays: number;
    /** False only on this machine, for the benchmark that measures what history costs. */
    readonly historyEnabled: boolean;
    readonly idempotencyTtlMs: number;
    readonly idempotencyWaitMs: number;
  };
}

export class ConfigError extends Error {}

/** The web frontend's dev server (`npm start` there serves on port 3000). */
const LOCAL_FRONTEND_ORIGINS = 'http://localhost:3000,http://127.0.0.1:3000';

function listOf(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function isOrigin(text: string): boolean {
  try {
    return new URL(text).origin === text;
  } catch {
    // Not a URL at all: reported with the other bad origins.
    return false;
  }
}

/** Builds the configuration from an environment; throws ConfigError listing every bad variable. */
/**
 * `SERVICE_ACCOUNT_ROLES`: `email=role+role;email=role`. Semicolons, not commas, separate entries
 * because `gcloud --set-env-vars` splits on commas.
 */
function serviceAccountRolesOf(text: string): ServiceAccountRoles {
  const grants: Record<string, readonly Role[]> = {};
  for (const entry of text
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [email, roleList, ...rest] = entry.split('=');
    const roles = (roleList ?? '').split('+').map((role) => role.trim());
    if (!email || !/^[^@\s]+@[^@\s]+$/.test(email.trim()) || rest.length > 0 || roles.some((role) => !(ROLES as readonly string[]).includes(role))) {
      throw new ConfigError(`SERVICE_ACCOUNT_ROLES: "${entry}" is not email=role[+role] with roles among ${ROLES.join(', ')}`);
    }
    grants[email.trim().toLowerCase()] = Object.freeze(toRoles(roles));
  }
  return Object.freeze(grants);
}

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
  if (values.DEV_TOKENS_FROM_NETWORK && !localLike) {
    throw new ConfigError(`DEV_TOKENS_FROM_NETWORK is for this machine only and is refused when DEPLOY_ENV=${values.DEPLOY_ENV}`);
  }
  if (values.FIREBASE_AUTH_EMULATOR_HOST && !localLike) {
    throw new ConfigError(`FIREBASE_AUTH_EMULATOR_HOST accepts unsigned tokens and is refused when DEPLOY_ENV=${values.DEPLOY_ENV}`);
  }
  const registrationRoles = listOf(values.REGISTRATION_ROLES ?? (localLike ? 'editor' : ''));
  const unknownRoles = registrationRoles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (unknownRoles.length > 0) throw new ConfigError(`REGISTRATION_ROLES: unknown roles ${unknownRoles.join(', ')} (known: ${ROLES.join(', ')})`);
  const serviceAccountRoles = serviceAccountRolesOf(values.SERVICE_ACCOUNT_ROLES ?? '');
  // Spaces separate origins as well as commas: `gcloud --set-env-vars` splits its list on commas.
  const corsOrigins = listOf((values.CORS_ALLOWED_ORIGINS ?? (localLike ? LOCAL_FRONTEND_ORIGINS : '*')).replace(/\s+/g, ','));
  const badOrigins = corsOrigins.filter((origin) => origin !== '*' && !isOrigin(origin));
  if (badOrigins.length > 0) throw new ConfigError(`CORS_ALLOWED_ORIGINS: not origins (scheme://host[:port]): ${badOrigins.join(', ')}`);
  if (values.STORAGE_EVENTS_URL && !localLike) {
    throw new ConfigError(`STORAGE_EVENTS_URL stands in for Eventarc on this machine and is refused when DEPLOY_ENV=${values.DEPLOY_ENV}`);
  }
  if (values.SEQUENCE_JOURNAL_FILE && !localLike) {
    throw new ConfigError(`SEQUENCE_JOURNAL_FILE is the local stack's note of given sequence numbers and is refused when DEPLOY_ENV=${values.DEPLOY_ENV}`);
  }
  if (values.MIGRATION_TEST_DELAY_MS > 0 && !localLike) {
    throw new ConfigError(`MIGRATION_TEST_DELAY_MS slows migrations for tests and is refused when DEPLOY_ENV=${values.DEPLOY_ENV}`);
  }
  if (!values.HISTORY_ENABLED && !localLike) {
    throw new ConfigError(`HISTORY_ENABLED=false drops the record of every change and is refused when DEPLOY_ENV=${values.DEPLOY_ENV}`);
  }
  const projectId = values.GOOGLE_CLOUD_PROJECT ?? values.GCLOUD_PROJECT ?? 'nna-registry-local';
  const bucket = values.ASSETS_BUCKET;
  const flagEnvOverrides: Partial<Record<FlagName, boolean>> = {};
  for (const flag of FLAG_NAMES) {
    const value = values[`FLAG_${flag}`];
    if (value !== undefined) flagEnvOverrides[flag] = value;
  }
  const albumArtBucket = values.ALBUM_ART_BUCKET;
  let albumArt: AlbumArtConfig;
  try {
    albumArt = albumArtConfigOf(values, localLike);
  } catch (error) {
    if (error instanceof AlbumArtConfigError) throw new ConfigError(error.message);
    throw error;
  }
  const config: Config = {
    deployEnv: values.DEPLOY_ENV,
    projectId,
    assetsCollection: values.ASSETS_COLLECTION,
    auth: {
      mode: authMode,
      audience: values.AUTH_AUDIENCE,
      publicReads: values.PUBLIC_READS,
      firebaseProjectId: values.FIREBASE_PROJECT_ID ?? projectId,
      firebaseApiKey: values.FIREBASE_API_KEY ?? (values.FIREBASE_AUTH_EMULATOR_HOST ? 'local-emulator-key' : undefined),
      authEmulatorHost: values.FIREBASE_AUTH_EMULATOR_HOST,
      devTokensFromNetwork: values.DEV_TOKENS_FROM_NETWORK,
      registrationRoles: Object.freeze(toRoles(registrationRoles)),
      serviceAccountRoles,
      roleAuditCollection: values.ROLE_AUDIT_COLLECTION,
      legacyCredentialsCollection: values.LEGACY_CREDENTIALS_COLLECTION,
      signInThrottle: {
        account: { failures: values.SIGN_IN_FAILURES_PER_ACCOUNT, windowMs: values.SIGN_IN_THROTTLE_MINUTES * 60_000 },
        address: { failures: values.SIGN_IN_FAILURES_PER_ADDRESS, windowMs: values.SIGN_IN_THROTTLE_MINUTES * 60_000 },
      },
    },
    blobStore: {
      kind: values.BLOB_STORE ?? (localLike ? 'fs' : 'gcs'),
      directory: values.BLOB_DIR,
      bucket,
      publicBaseUrl: (values.BLOB_PUBLIC_BASE_URL ?? `https://storage.googleapis.com/${bucket}`).replace(/\/+$/, ''),
    },
    albumArtStore: {
      bucket: albumArtBucket,
      directory: `${values.BLOB_DIR.replace(/\/+$/, '')}/album-art-bucket`,
      publicBaseUrl: (values.ALBUM_ART_PUBLIC_BASE_URL ?? `https://storage.googleapis.com/${albumArtBucket}`).replace(/\/+$/, ''),
    },
    storageEventsUrl: values.STORAGE_EVENTS_URL,
    sequenceJournalFile: values.SEQUENCE_JOURNAL_FILE,
    variants: { crop: values.VARIANT_CROP },
    maxRequestBytes: values.MAX_REQUEST_BYTES,
    corsOrigins: Object.freeze(corsOrigins),
    firestoreDeadlineMs: values.FIRESTORE_DEADLINE_MS,
    listingShareMs: values.LISTING_SHARE_MS,
    flagEnvOverrides: Object.freeze(flagEnvOverrides),
    flags: { cacheTtlMs: values.FLAGS_CACHE_TTL_MS, document: values.FLAGS_DOCUMENT },
    metrics: {
      aggregates: values.METRICS_AGGREGATES,
      collection: values.METRICS_COLLECTION,
      flushMs: values.METRICS_FLUSH_MS,
      shards: values.METRICS_SHARDS,
    },
    migrationsCollection: values.MIGRATIONS_COLLECTION,
    readinessTimeoutMs: values.READINESS_TIMEOUT_MS,
    logLevel: values.LOG_LEVEL,
    dataSafety: {
      deletedRetentionDays: values.DELETED_RETENTION_DAYS,
      historyRetentionDays: values.HISTORY_RETENTION_DAYS,
      historyEnabled: values.HISTORY_ENABLED,
      idempotencyTtlMs: values.IDEMPOTENCY_TTL_HOURS * 60 * 60 * 1000,
      idempotencyWaitMs: values.IDEMPOTENCY_WAIT_MS,
    },
    albumArt,
    migrationTestDelayMs: values.MIGRATION_TEST_DELAY_MS,
  };
  return Object.freeze(config);
}

let cached: Config | undefined;

/** The process's configuration, validated on first use (at module start in each entry point). */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}
