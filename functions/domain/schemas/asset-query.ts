/** Listing and search parameters, as query strings (GET) or a JSON body (POST /api/assets/search). */
import { z } from 'zod';
import { assetStatusSchema } from './asset.js';
import { isoDateTimeSchema } from './common.js';

/** The web frontend asks for 1000 and pages on the client (the old backend served it). */
const LIST_LIMIT_MAX = 1000;
const LIST_PAGE_MAX = 10_000;

const dateParam = z.union([isoDateTimeSchema, z.iso.date()], {
  error: 'must be a date (2025-01-31) or a date-time with its offset (2025-01-31T12:00:00Z)',
});

/** A whole number from a query string; the message says so with an example instead of "NaN". */
function wholeNumber(example: number) {
  const message = `must be a whole number, e.g. ${example}`;
  // Only the type issue gets this message; the range checks added after keep their own.
  return z.coerce.number({ error: (issue) => (issue.code === 'invalid_type' ? message : undefined) }).int({ error: message });
}

export const listAssetsQuerySchema = z
  .object({
    search: z.string().trim().max(200).optional(),
    layer: z.string().trim().min(1).max(100).optional(),
    category: z.string().trim().min(1).max(100).optional(),
    subcategory: z.string().trim().min(1).max(100).optional(),
    status: assetStatusSchema.optional(),
    tags: z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(z.string().trim().min(1).max(64)).max(10)).optional(),
    startDate: dateParam.optional(),
    endDate: dateParam.optional(),
    page: wholeNumber(2).min(1).max(LIST_PAGE_MAX).default(1),
    limit: wholeNumber(20).min(1).max(LIST_LIMIT_MAX).default(20),
    sortBy: z.enum(['createdAt', 'updatedAt', 'name']).default('createdAt'),
    sortOrder: z.enum(['asc', 'desc']).default('desc'),
    cursor: z.string().max(1000).optional(),
  })
  .meta({ id: 'ListAssetsQuery' });

export type ListAssetsQuery = z.infer<typeof listAssetsQuerySchema>;
