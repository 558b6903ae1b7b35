/**
 * Configuration: read from the environment once, validated, frozen. Every variable is listed in the
 * configuration table in docs/configuration.md; a bad value stops the process at start with a message naming it.
 */
import { z } from 'zod';
import { FLAG_NAMES, type FlagName } from '../domain/ports/feature-flags.js';
import { ROLES, toRoles, type Role, type ServiceAccountRoles } from '../domain/ports/token-verifier.js';
import { AlbumArtConfigError, albumArtConfigOf, type AlbumArtConfig } from './album-art-config.js';
import { environmentSchema, type VariantCrop } from './config-environment.js';

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
