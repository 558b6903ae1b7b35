/**
 * Configuration of the album-art pipeline: where jobs and originals go, what the
 * downloader may fetch, how hard it tries, and whether a virus scan is required.
 */
import net from 'node:net';
import { z } from 'zod';
import { DEFAULT_BUCKETS, DEFAULT_TOPICS } from './resource-names.js';

const MIB = 1024 * 1024;

const listText = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean),
);

const milliseconds = (fallback: number) => z.coerce.number().int().min(100).max(600_000).default(fallback);

export const albumArtEnvironment = {
  ALBUM_ART_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/)
    .default(DEFAULT_BUCKETS.albumArt),
  ALBUM_ART_PUBLIC_BASE_URL: z.url().optional(),
  ALBUM_ART_TOPIC: z
    .string()
    .regex(/^[A-Za-z][\w.~+%-]{2,254}$/)
    .default(DEFAULT_TOPICS.albumArtJobs),
  ALBUM_ART_DEAD_LETTER_TOPIC: z
    .string()
    .regex(/^[A-Za-z][\w.~+%-]{2,254}$/)
    .default(DEFAULT_TOPICS.albumArtDeadLetter),
  ALBUM_ART_ALLOWED_HOSTS: listText.default(['*.mzstatic.com']),
  ALBUM_ART_ALLOW_LOOPBACK_SOURCES: z.string().default('off'),
  ALBUM_ART_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * MIB)
    .default(10 * MIB),
  ALBUM_ART_MAX_PIXELS: z.coerce.number().int().min(1).max(500_000_000).default(40_000_000),
  ALBUM_ART_CONNECT_TIMEOUT_MS: milliseconds(5_000),
  ALBUM_ART_IDLE_TIMEOUT_MS: milliseconds(10_000),
  ALBUM_ART_DEADLINE_MS: milliseconds(30_000),
  ALBUM_ART_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(100_000).default(20),
  ALBUM_ART_MAX_ATTEMPTS: z.coerce.number().int().min(5).max(100).default(5),
  ALBUM_ART_SCAN: z.enum(['required', 'off']).optional(),
  CLAMD_ADDRESS: z
    .string()
    .regex(/^(tcp:\/\/[^:/]+:\d{1,5}|unix:\/.+)$/, 'is tcp://host:port or unix:/path/to/clamd.sock')
    .default('tcp://127.0.0.1:3310'),
  CLAMD_TIMEOUT_MS: milliseconds(30_000),
  ALBUM_ART_REDRIVE_AFTER_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  /** Local and test only: lower the attempt floor so tests can exhaust retries quickly. */
  ALBUM_ART_TEST_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).optional(),
};

type AlbumArtEnvironment = z.infer<z.ZodObject<typeof albumArtEnvironment>>;

export interface AlbumArtConfig {
  readonly topic: string;
  readonly deadLetterTopic: string;
  /** Exact host names, IP literals, `*.suffix` patterns, or `*` for any host. */
  readonly allowedHosts: readonly string[];
  /** Loopback addresses that may be fetched: none in production; `on` allows all loopback. */
  readonly loopbackSources: 'all' | readonly string[];
  readonly maxBytes: number;
  readonly maxPixels: number;
  readonly connectTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly deadlineMs: number;
  readonly rateLimitPerMinute: number;
  readonly maxAttempts: number;
  readonly scan: 'required' | 'off';
  readonly clamdAddress: string;
  readonly clamdTimeoutMs: number;
  readonly redriveAfterMs: number;
}

export class AlbumArtConfigError extends Error {}

function loopbackSourcesOf(value: string): 'all' | string[] {
  const text = value.trim().toLowerCase();
  if (['off', 'false', '0', 'no', ''].includes(text)) return [];
  if (['on', 'true', '1', 'yes'].includes(text)) return 'all';
  const addresses = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const bad = addresses.filter((address) => net.isIP(address) === 0);
  if (bad.length > 0)
    throw new AlbumArtConfigError(`ALBUM_ART_ALLOW_LOOPBACK_SOURCES: ${bad.join(', ')} is not an IP address (use off, on or a list of loopback addresses)`);
  return addresses;
}

export function albumArtConfigOf(values: AlbumArtEnvironment, localLike: boolean): AlbumArtConfig {
  const loopbackSources = loopbackSourcesOf(values.ALBUM_ART_ALLOW_LOOPBACK_SOURCES);
  if (!localLike && (loopbackSources === 'all' || loopbackSources.length > 0)) {
    throw new AlbumArtConfigError('ALBUM_ART_ALLOW_LOOPBACK_SOURCES lets the downloader reach this machine and is refused outside DEPLOY_ENV local/test');
  }
  if (!localLike && values.ALBUM_ART_TEST_MAX_ATTEMPTS !== undefined) {
    throw new AlbumArtConfigError('ALBUM_ART_TEST_MAX_ATTEMPTS is for tests and is refused outside DEPLOY_ENV local/test');
  }
  return {
    topic: values.ALBUM_ART_TOPIC,
    deadLetterTopic: values.ALBUM_ART_DEAD_LETTER_TOPIC,
    allowedHosts: values.ALBUM_ART_ALLOWED_HOSTS,
    loopbackSources,
    maxBytes: values.ALBUM_ART_MAX_BYTES,
    maxPixels: values.ALBUM_ART_MAX_PIXELS,
    connectTimeoutMs: values.ALBUM_ART_CONNECT_TIMEOUT_MS,
    idleTimeoutMs: values.ALBUM_ART_IDLE_TIMEOUT_MS,
    deadlineMs: values.ALBUM_ART_DEADLINE_MS,
    rateLimitPerMinute: values.ALBUM_ART_RATE_LIMIT_PER_MINUTE,
    maxAttempts: values.ALBUM_ART_TEST_MAX_ATTEMPTS ?? values.ALBUM_ART_MAX_ATTEMPTS,
    scan: values.ALBUM_ART_SCAN ?? (localLike ? 'off' : 'required'),
    clamdAddress: values.CLAMD_ADDRESS,
    clamdTimeoutMs: values.CLAMD_TIMEOUT_MS,
    redriveAfterMs: values.ALBUM_ART_REDRIVE_AFTER_MS,
  };
}
