import { z } from 'zod';

export const isoDateTimeSchema = z.iso.datetime({ offset: true }).meta({ description: 'ISO 8601 date-time' });

export const jsonObjectSchema = z.record(z.string(), z.unknown());

/** Counts user-perceived code points, not UTF-16 units, so an emoji counts once toward a limit. */
export function codePointLength(value: string): number {
  return Array.from(value).length;
}

export function boundedText(maxCodePoints: number) {
  return z
    .string()
    .trim()
    .refine((value) => codePointLength(value) <= maxCodePoints, { message: `must be at most ${maxCodePoints} characters` });
}

export const httpUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: 'must be an http or https URL' },
  );

export const tagsSchema = z
  .array(z.string().trim().min(1, 'tags must not be empty').max(64))
  .max(50)
  // Duplicates add nothing but index entries; keep the first spelling of each.
  .transform((tags) => [...new Set(tags)]);

/** Firestore stores maps at most 20 deep; leave room for the document's own nesting. */
const STORABLE_MAX_DEPTH = 16;
const STORABLE_MAX_BYTES = 64 * 1024;

/**
 * Why Firestore would refuse to store a JSON value (too deep, arrays inside arrays, empty or
 * reserved `__x__` keys, too large), or undefined when it can be stored. Checked at the edge so
 * that free-form client JSON is a 400, never a failed write.
 */
function unstorableReason(value: unknown): string | undefined {
  if (JSON.stringify(value).length > STORABLE_MAX_BYTES) return `is larger than ${STORABLE_MAX_BYTES} bytes`;
  const visit = (node: unknown, depth: number, insideArray: boolean): string | undefined => {
    if (depth > STORABLE_MAX_DEPTH) return `is nested deeper than ${STORABLE_MAX_DEPTH} levels`;
    if (Array.isArray(node)) {
      if (insideArray) return 'holds an array directly inside an array, which Firestore cannot store';
      for (const item of node) {
        const reason = visit(item, depth + 1, true);
        if (reason) return reason;
      }
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (key === '') return 'has an empty key';
        if (/^__.*__$/.test(key)) return `has the reserved key ${key}`;
        const reason = visit(child, depth + 1, false);
        if (reason) return reason;
      }
    }
    return undefined;
  };
  return visit(value, 0, false);
}

/** Adds the storability check to a schema of free-form JSON. */
export function storable<T extends z.ZodType>(schema: T) {
  return schema.superRefine((value, context) => {
    const reason = unstorableReason(value);
    if (reason) context.addIssue({ code: 'custom', message: reason });
  });
}

/** A page of a newest-first list continued by an opaque cursor (history, deleted assets). */
export function cursorPageQuerySchema(id: string) {
  return z
    .object({
      limit: z.coerce.number().int().min(1).max(100).default(20),
      cursor: z
        .string()
        .min(1)
        .max(200)
        .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor this API returned')
        .optional(),
    })
    .meta({ id });
}
