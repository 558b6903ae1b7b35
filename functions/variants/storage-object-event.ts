/**
 * The envelope of `generateVariants`: a `google.cloud.storage.object.v1.finalized` CloudEvent whose
 * data is the object resource. Light (zod only), so functions/index.ts validates requests with it
 * before the image code loads.
 */
import { z } from 'zod';
import { FINALIZED_EVENT_TYPE } from '../adapters/blob-store/storage-event-notifier.js';
import { cloudEventSchema } from '../platform/event-function.js';

const storageObjectSchema = z.looseObject({
  bucket: z.string().min(1),
  name: z.string().min(1),
  contentType: z.string().optional(),
  /** A decimal string in the JSON API; a number is accepted too. */
  size: z.coerce.number().int().min(0),
  metadata: z.record(z.string(), z.string()).optional(),
  timeCreated: z.string().optional(),
  generation: z.union([z.string(), z.number()]).optional(),
});

export const storageEventSchema = cloudEventSchema(FINALIZED_EVENT_TYPE, storageObjectSchema);

export type StorageObject = z.infer<typeof storageObjectSchema>;
export type StorageEvent = z.infer<typeof storageEventSchema>;
