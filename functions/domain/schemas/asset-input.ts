/**
 * What clients send to create or update an asset. The same schemas validate JSON bodies and
 * multipart forms: form fields arrive as strings, so structured fields also accept their JSON text.
 */
import { z } from 'zod';
import { aiMetadataSchema } from './ai-metadata.js';
import { albumArtInputSchema } from './album-art.js';
import { assetSourceSchema, assetStatusSchema, extractedSongDataSchema, rightsSchema, trainingDataSchema } from './asset.js';
import { boundedText, jsonObjectSchema, storable, tagsSchema } from './common.js';

const CREATOR_DESCRIPTION_MAX = 500;

function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    // Left as text: the target schema then refuses it with its own "expected object" message.
    return value;
  }
}

/** A structured field that multipart clients send as JSON text (`rights`, `trainingData`, ...). */
function jsonEncoded<T extends z.ZodType>(schema: T) {
  return z.preprocess(parseJsonText, schema);
}

/**
 * Tags arrive as a JSON array, as repeated `tags[]` form fields, or as the JSON text of an array (the
 * frontend's multipart form). A bare string such as "pop" is refused, not split or wrapped: guessing
 * whether "a,b" is one tag or two would store something the client did not say.
 */
const tagsInputSchema = z.preprocess(parseJsonText, tagsSchema);

/** Component HFNs; the old frontend sends one empty `components[]` field when there are none. */
const componentsInputSchema = z.preprocess(
  (value) => {
    const parsed = parseJsonText(value);
    const list = typeof parsed === 'string' ? [parsed] : parsed;
    return Array.isArray(list) ? list.filter((item) => !(typeof item === 'string' && item.trim() === '')) : list;
  },
  z.array(z.string().trim().min(1).max(200)).max(50),
);

/**
 * Album art as the seed's object, its JSON text, or (as the web frontend sends it) a plain URL
 * string: that string is the source URL of the artwork to fetch.
 */
const albumArtFieldSchema = z
  .preprocess((value) => {
    if (typeof value !== 'string') return value;
    const text = value.trim();
    return text.startsWith('{') ? parseJsonText(text) : { sourceUrl: text };
  }, albumArtInputSchema)
  .meta({ description: 'An AlbumArtInput object, or a plain http(s) URL string meaning { sourceUrl: <that URL> }' });

const taxonomyText = z.string().trim().min(1, 'is required').max(100);

/**
 * Strict: a field the registry does not know is refused by name, never dropped silently. Every field
 * the frontend and the ReViz app send (see docs/api.md) is declared here.
 */
export const createAssetSchema = z
  .strictObject({
    layer: taxonomyText,
    category: taxonomyText,
    subcategory: taxonomyText,
    source: assetSourceSchema.default('ReViz'),
    description: boundedText(2000).pipe(z.string().min(1, 'is required')),
    creatorDescription: boundedText(CREATOR_DESCRIPTION_MAX).optional(),
    tags: tagsInputSchema.default([]),
    trainingData: jsonEncoded(storable(trainingDataSchema)).optional(),
    rights: jsonEncoded(storable(rightsSchema)).optional(),
    components: componentsInputSchema.default([]),
    metadata: jsonEncoded(storable(jsonObjectSchema)).default({}),
    status: assetStatusSchema.default('active'),
    albumArt: albumArtFieldSchema.optional(),
    extractedSongData: jsonEncoded(extractedSongDataSchema).optional(),
    aiMetadata: jsonEncoded(aiMetadataSchema).optional(),
  })
  .meta({ id: 'CreateAssetRequest' });

export const updateAssetSchema = z
  .strictObject({
    name: z.string().trim().max(400).optional(),
    layer: taxonomyText.optional(),
    category: taxonomyText.optional(),
    subcategory: taxonomyText.optional(),
    source: assetSourceSchema.optional(),
    description: boundedText(2000).pipe(z.string().min(1, 'must not be empty')).optional(),
    creatorDescription: boundedText(CREATOR_DESCRIPTION_MAX).optional(),
    tags: tagsInputSchema.optional(),
    trainingData: jsonEncoded(storable(trainingDataSchema)).optional(),
    rights: jsonEncoded(storable(rightsSchema)).optional(),
    metadata: jsonEncoded(storable(jsonObjectSchema)).optional(),
    status: assetStatusSchema.optional(),
    albumArt: albumArtFieldSchema.optional(),
    extractedSongData: jsonEncoded(extractedSongDataSchema).optional(),
    aiMetadata: jsonEncoded(aiMetadataSchema).optional(),
  })
  .meta({ id: 'UpdateAssetRequest' });

/** Fields that exist only since the Enhanced AI work; the CREATOR_DESCRIPTION flag gates them. */
export const ENHANCED_FIELDS = ['creatorDescription', 'albumArt', 'aiMetadata'] as const;

export type CreateAssetInput = z.infer<typeof createAssetSchema>;
export type UpdateAssetInput = z.infer<typeof updateAssetSchema>;
