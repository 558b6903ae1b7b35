/**
 * The asset as stored in Firestore and as clients read it. Legacy documents may carry fields this
 * schema does not name; they are kept and returned unchanged.
 */
import { z } from 'zod';
import { aiMetadataSchema } from './ai-metadata.js';
import { albumArtSchema } from './album-art.js';
import { isoDateTimeSchema, jsonObjectSchema } from './common.js';

export const assetStatusSchema = z.enum(['active', 'inactive', 'draft', 'archived']);
export const assetSourceSchema = z.enum(['ReViz', 'Original', 'Licensed', 'External']);

export const fileRecordSchema = z
  .object({
    id: z.string(),
    filename: z.string(),
    contentType: z.string(),
    size: z.number().int().min(0),
    url: z.string(),
    uploadedAt: isoDateTimeSchema,
    thumbnailUrl: z.string().optional(),
  })
  .meta({ id: 'FileRecord' });

export const trainingDataSchema = z
  .looseObject({
    prompts: z.array(z.string().max(4000)).max(500).default([]),
    images: z.array(z.string().max(2048)).max(500).default([]),
    videos: z.array(z.string().max(2048)).max(500).default([]),
  })
  .meta({ id: 'TrainingData' });

export const rightsSchema = z
  .looseObject({
    source: z.string().max(200).optional(),
    rights_split: z.string().max(200).optional(),
  })
  .meta({ id: 'Rights' });

export const extractedSongDataSchema = z
  .object({
    songName: z.string().trim().max(300).optional(),
    albumName: z.string().trim().max(300).optional(),
    artistName: z.string().trim().max(300).optional(),
  })
  .meta({ id: 'ExtractedSongData' });

/** The client-visible fields of a stored asset document (the document id is not a field). */
export const assetDocumentSchema = z.looseObject({
  name: z.string(),
  nna_address: z.string(),
  layer: z.string(),
  category: z.string(),
  subcategory: z.string(),
  categoryCode: z.string().optional(),
  subcategoryCode: z.string().optional(),
  description: z.string().optional(),
  creatorDescription: z.string().optional(),
  tags: z.array(z.string()).optional(),
  source: z.string().optional(),
  gcpStorageUrl: z.string().optional(),
  files: z.array(fileRecordSchema).optional(),
  metadata: jsonObjectSchema.optional(),
  components: z.array(z.string()).optional(),
  deletedComponents: z.array(z.string()).optional().meta({ description: 'Components (HFNs) an admin deleted while this composite named them' }),
  // The old backend stored both as JSON-encoded strings, and its clients read them so: imported assets keep them.
  trainingData: z.union([trainingDataSchema, z.string()]).optional(),
  rights: z.union([rightsSchema, z.string()]).optional(),
  status: z.string().optional(),
  createdBy: z.string().optional(),
  registeredBy: z.string().optional().meta({ description: "The creator's email, as the old backend named it (createdBy holds the same)" }),
  createdAt: z.string(),
  updatedAt: z.string(),
  albumArt: albumArtSchema.optional(),
  aiMetadata: aiMetadataSchema.optional(),
  extractedSongData: extractedSongDataSchema.optional(),
});

export const assetSchema = assetDocumentSchema
  .extend({
    id: z.string(),
    _id: z.string().meta({ description: 'Same as id; kept for clients written against the Mongo backend' }),
    hfn: z
      .string()
      .optional()
      .meta({ description: "The HFN; a composite with its components' HFNs joined by + (name spells components as letter-form MFAs joined by :)" }),
    mfa: z.string().optional().meta({ description: 'The numeric MFA of nna_address (2.001.002.031 for S.001.002.031); composites: their base' }),
    trainingDataInfo: trainingDataSchema.optional().meta({ description: 'trainingData as an object (trainingData is its JSON text)' }),
    rightsInfo: rightsSchema.optional().meta({ description: 'rights as an object (rights is its JSON text)' }),
  })
  .meta({ id: 'Asset' });

export type FileRecord = z.infer<typeof fileRecordSchema>;
export type AssetDocument = z.infer<typeof assetDocumentSchema>;
export type Asset = z.infer<typeof assetSchema>;
