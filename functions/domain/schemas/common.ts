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
