import { z } from 'zod';
import { hostAllowed } from '../host-patterns.js';
import { httpUrlSchema, isoDateTimeSchema } from './common.js';

const albumArtSourceSchema = z.enum(['iTunes', 'Manual', 'AI Generated']);
const albumArtQualitySchema = z.enum(['High', 'Medium', 'Low']);
const albumArtStatusSchema = z.enum(['pending', 'processing', 'stored', 'ready', 'failed']);

/** Apple's artwork CDN, where the web frontend's iTunes search finds album art. */
const ITUNES_ARTWORK_HOSTS = ['*.mzstatic.com'];

/**
 * The source of album art a client did not name: `iTunes` for Apple's artwork CDN, `Manual` for any
 * other address (an editor's own URL is not iTunes's, whatever the default once said).
 */
export function defaultAlbumArtSource(sourceUrl: string | undefined): 'iTunes' | 'Manual' {
  return sourceUrl !== undefined && URL.canParse(sourceUrl) && hostAllowed(new URL(sourceUrl).hostname, ITUNES_ARTWORK_HOSTS) ? 'iTunes' : 'Manual';
}

/**
 * What a client may send about album art: where to fetch it from, and hints about it. Everything
 * else (`url`, `status`, `variants`, `sha256`, ...) is derived by the pipeline and served to every
 * reader, so a client naming one is refused by name rather than believed (a client-set `url` would
 * put any address, a tracker's say, in front of everyone).
 */
export const albumArtInputSchema = z
  .strictObject({
    sourceUrl: httpUrlSchema.optional(),
    source: albumArtSourceSchema
      .optional()
      .meta({ description: 'iTunes for an address on Apple’s artwork CDN (*.mzstatic.com), Manual otherwise, when not named' }),
    quality: albumArtQualitySchema.optional(),
  })
  .transform((input) => ({ ...input, source: input.source ?? defaultAlbumArtSource(input.sourceUrl) }))
  .meta({ id: 'AlbumArtInput' });

const albumArtFailureSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    attempts: z.number().int().min(0),
  })
  .meta({ id: 'AlbumArtFailure' });

/** One image the pipeline wrote: the original or a variant. */
export const imageObjectSchema = z
  .object({
    url: z.string(),
    width: z.number().int().min(0),
    height: z.number().int().min(0),
    bytes: z.number().int().min(0),
  })
  .meta({ id: 'ImageObject' });

/** The stored original, as the album-art processor recorded it. */
const albumArtOriginalSchema = z
  .object({
    /** Recorded by earlier versions only: the original's object name (now private, never a URL). */
    objectName: z.string().optional(),
    sha256: z.string(),
    contentType: z.string(),
    width: z.number().int().min(0),
    height: z.number().int().min(0),
    bytes: z.number().int().min(0),
    /** Recorded by earlier versions only; originals are private now and responses never show it. */
    url: z.string().optional(),
  })
  .meta({ id: 'AlbumArtOriginal' });

/** A change that reused what an earlier job stored: its original, or its whole variant set. */
const albumArtStatusNoteSchema = z.enum(['reused-original', 'reused-variants']);

/** One status change, kept so that duplicate deliveries are visible as not having happened. */
const albumArtStatusChangeSchema = z.object({
  status: albumArtStatusSchema,
  at: isoDateTimeSchema,
  jobId: z.string(),
  note: albumArtStatusNoteSchema.optional(),
});

/**
 * The claim of the delivery working on the job; others acknowledge without work until it expires.
 * Internal to the processor: responses never carry it (toAssetView drops it).
 */
const albumArtLeaseSchema = z.object({ holder: z.string(), expiresAt: isoDateTimeSchema });

/** Album art as stored on the asset and returned to clients. */
export const albumArtSchema = z
  .looseObject({
    url: z.string().optional(),
    sourceUrl: z.string().optional(),
    source: albumArtSourceSchema,
    quality: albumArtQualitySchema.optional(),
    uploadedAt: isoDateTimeSchema.optional(),
    contentType: z.string().optional(),
    size: z.number().int().min(0).optional(),
    status: albumArtStatusSchema.optional(),
    /** The job (request id) the status belongs to; a new job starts again at pending. */
    jobId: z.string().optional(),
    error: albumArtFailureSchema.optional(),
    /** Whether the original was virus-scanned (false when scanning is configured off). */
    scanned: z.boolean().optional(),
    /** Deliveries of the current job the processor has started (it counts them itself). */
    attempts: z.number().int().min(0).optional(),
    original: albumArtOriginalSchema.optional(),
    /** The sha256 of the image: the content address of its private original and public variants. */
    sha256: z.string().optional(),
    lease: albumArtLeaseSchema.optional(),
    /** Per size (`150`, `500`, `original`) and format (`jpg`, `webp`, `avif`). */
    variants: z.record(z.string(), z.record(z.string(), imageObjectSchema)).optional(),
    placeholder: z.string().optional(),
    dominantColor: z.string().optional(),
    statusHistory: z.array(albumArtStatusChangeSchema).optional(),
  })
  .meta({ id: 'AlbumArt' });

export type AlbumArt = z.infer<typeof albumArtSchema>;
export type AlbumArtStatus = z.infer<typeof albumArtStatusSchema>;
export type AlbumArtStatusNote = z.infer<typeof albumArtStatusNoteSchema>;
