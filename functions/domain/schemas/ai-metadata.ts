import { z } from 'zod';
import { boundedText, codePointLength, isoDateTimeSchema, jsonObjectSchema, storable, tagsSchema } from './common.js';

/** A client's aiMetadata is provenance plus whatever its generator produced: kept, but small and shallow. */
const AI_METADATA_MAX_BYTES = 16 * 1024;
const AI_METADATA_MAX_DEPTH = 4;

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((deepest, child) => Math.max(deepest, depthOf(child)), 0);
}

/**
 * Provenance of machine-generated text on an asset. Two writers exist: the seed's migration
 * (`generatedBy`, `generationStrategy`, `confidence`, `generatedAt`, ...) and the web frontend
 * (`generatedDescription`, `mood`, `genre`, `bpm`, `tags`, `duration`, `key`, `tempo`, ...). Every
 * field is optional and unknown keys are kept, so neither writer is refused; the known fields keep
 * their types and ranges, and the whole object is bounded in size and depth.
 */
export const aiMetadataSchema = z
  .looseObject({
    generatedBy: boundedText(100).pipe(z.string().min(1)).optional(),
    generationStrategy: boundedText(100).pipe(z.string().min(1)).optional(),
    // Legacy assets (migrated, never generated) have no processing time.
    processingTime: z.number().min(0).max(86_400_000).optional().meta({ description: 'milliseconds' }),
    confidence: z.number().min(0).max(1).optional(),
    generatedAt: isoDateTimeSchema.optional(),
    inputContext: z.union([boundedText(4000), storable(jsonObjectSchema)]).optional(),
    fallbackUsed: z.boolean().optional(),
    generatedDescription: boundedText(4000).optional(),
    mood: boundedText(100).optional(),
    genre: boundedText(100).optional(),
    bpm: z.number().min(1).max(1000).optional().meta({ description: 'beats per minute' }),
    tags: tagsSchema.optional(),
    duration: z.number().min(0).max(86_400).optional().meta({ description: 'seconds' }),
    key: boundedText(20).optional().meta({ description: 'musical key, e.g. "C minor"' }),
    tempo: z.union([z.number().min(1).max(1000), boundedText(50)]).optional(),
  })
  .superRefine((value, context) => {
    const reason = storableAiMetadataReason(value);
    if (reason) context.addIssue({ code: 'custom', message: reason });
  })
  .meta({ id: 'AiMetadata' });

function storableAiMetadataReason(value: Record<string, unknown>): string | undefined {
  const text = JSON.stringify(value);
  if (codePointLength(text) > AI_METADATA_MAX_BYTES) return `is larger than ${AI_METADATA_MAX_BYTES} characters of JSON`;
  if (depthOf(value) > AI_METADATA_MAX_DEPTH) return `is nested deeper than ${AI_METADATA_MAX_DEPTH} levels`;
  return storable(jsonObjectSchema).safeParse(value).error?.issues[0]?.message;
}
