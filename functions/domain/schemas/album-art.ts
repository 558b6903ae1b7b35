import { z } from 'zod';
import { httpUrlSchema, isoDateTimeSchema } from './common.js';

export const albumArtSourceSchema = z.enum(['iTunes', 'Manual', 'AI Generated']);
export const albumArtQualitySchema = z.enum(['High', 'Medium', 'Low']);
export const albumArtStatusSchema = z.enum(['pending', 'processing', 'stored', 'ready', 'failed']);

/** What a client may send about album art; everything else is set by the pipeline. */
export const albumArtInputSchema = z
  .object({
    sourceUrl: httpUrlSchema.optional(),
    url: httpUrlSchema.optional(),
    source: albumArtSourceSchema.default('iTunes'),
    quality: albumArtQualitySchema.optional(),
  })
  .meta({ id: 'AlbumArtInput' });

export const albumArtFailureSchema = z.object({
  code: z.string(),
  message: z.string(),
  attempts: z.number().int().min(0),
});

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
    error: albumArtFailureSchema.optional(),
  })
  .meta({ id: 'AlbumArt' });

export type AlbumArtInput = z.infer<typeof albumArtInputSchema>;
export type AlbumArt = z.infer<typeof albumArtSchema>;
