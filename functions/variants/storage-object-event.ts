/** The body of a `google.cloud.storage.object.v1.finalized` CloudEvent: the object resource. */
import { z } from 'zod';

export const storageObjectSchema = z.looseObject({
  bucket: z.string().min(1),
  name: z.string().min(1),
  contentType: z.string().optional(),
  /** A decimal string in the JSON API; a number is accepted too. */
  size: z.coerce.number().int().min(0),
  metadata: z.record(z.string(), z.string()).optional(),
  timeCreated: z.string().optional(),
  generation: z.union([z.string(), z.number()]).optional(),
});

export type StorageObject = z.infer<typeof storageObjectSchema>;
