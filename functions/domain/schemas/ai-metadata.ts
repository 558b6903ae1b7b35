import { z } from 'zod';
import { boundedText, isoDateTimeSchema, jsonObjectSchema, storable } from './common.js';

/** Provenance of machine-generated text on an asset. */
export const aiMetadataSchema = z
  .object({
    generatedBy: boundedText(100).pipe(z.string().min(1)),
    generationStrategy: boundedText(100).pipe(z.string().min(1)),
    // Legacy assets (migrated, never generated) have no processing time.
    processingTime: z.number().min(0).optional().meta({ description: 'milliseconds' }),
    confidence: z.number().min(0).max(1),
    generatedAt: isoDateTimeSchema,
    inputContext: z.union([boundedText(4000), storable(jsonObjectSchema)]).optional(),
    fallbackUsed: z.boolean().optional(),
  })
  .meta({ id: 'AiMetadata' });

export type AiMetadata = z.infer<typeof aiMetadataSchema>;
