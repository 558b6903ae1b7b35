/** What clients send and read about deleted assets: the query of a DELETE and the admin's listing. */
import { z } from 'zod';
import { assetSchema } from './asset.js';
import { cursorPageQuerySchema } from './common.js';

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const deleteAssetQuerySchema = z
  .object({
    reason: z.string().trim().min(1).max(500).optional().meta({ description: 'Why, kept with the deleted asset' }),
    force: flag.optional().meta({ description: 'Admin: delete even though live composites name the asset (they then list it in deletedComponents)' }),
    purge: flag.optional().meta({ description: 'Admin: remove the asset, its files and album art now, without the retention' }),
  })
  .meta({ id: 'DeleteAssetQuery' });

export const deleteResultSchema = z
  .object({
    id: z.string(),
    deleted: z.literal(true),
    purged: z.boolean().optional(),
    purgeAt: z.string().optional().meta({ description: 'Until then an admin can restore the asset' }),
  })
  .meta({ id: 'DeleteResult' });

export const deletedAssetsQuerySchema = cursorPageQuerySchema('DeletedAssetsQuery');

const deletedAssetSchema = z
  .object({
    id: z.string(),
    deletedBy: z.string(),
    deletedAt: z.string(),
    reason: z.string().optional(),
    purgeAt: z.string(),
    forcedComposites: z.array(z.string()),
    asset: assetSchema,
  })
  .meta({ id: 'DeletedAsset' });

export const deletedAssetPageSchema = z.object({ items: z.array(deletedAssetSchema), nextCursor: z.string().optional() }).meta({ id: 'DeletedAssetPage' });

export const purgeExpiredQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).meta({ id: 'PurgeExpiredQuery' });

export const purgeExpiredResultSchema = z.object({ purged: z.number().int() }).meta({ id: 'PurgeExpiredResult' });
