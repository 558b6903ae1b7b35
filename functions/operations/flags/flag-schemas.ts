import { z } from 'zod';
import { FLAG_NAMES, type FlagName } from '../../domain/ports/feature-flags.js';

/** The flags document in Firestore: `config/flags` by default. Names of retired flags are ignored. */
export const storedFlagsSchema = z.object({
  values: z
    .record(z.string(), z.boolean())
    .default({})
    .transform(
      (values) => Object.fromEntries(Object.entries(values).filter(([name]) => (FLAG_NAMES as string[]).includes(name))) as Partial<Record<FlagName, boolean>>,
    ),
  updatedAt: z.unknown().optional(),
  updatedBy: z.string().optional(),
});

/**
 * `PUT /api/admin/flags`: `{ FLAG: true|false }` sets a Firestore override, `{ FLAG: null }` removes
 * it (back to the code default). Unknown names are refused by name, nothing is changed.
 */
export const flagUpdateSchema = z
  .strictObject(
    Object.fromEntries(FLAG_NAMES.map((flag) => [flag, z.boolean().nullable().optional()])) as Record<FlagName, z.ZodOptional<z.ZodNullable<z.ZodBoolean>>>,
  )
  .refine((value) => Object.keys(value).length > 0, { message: 'name at least one flag' })
  .meta({ id: 'FlagUpdate' });

export type FlagUpdate = Partial<Record<FlagName, boolean | null>>;

const flagSourceSchema = z.enum(['environment', 'firestore', 'default']);

const flagStateSchema = z
  .object({
    value: z.boolean(),
    source: flagSourceSchema,
    default: z.boolean(),
    firestore: z.boolean().nullable(),
    environment: z.boolean().nullable(),
  })
  .meta({ id: 'FlagState' });

export const flagsViewSchema = z
  .object({
    flags: z.record(z.string(), flagStateSchema),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
    cacheTtlMs: z.number().int(),
    precedence: z.array(flagSourceSchema),
  })
  .meta({ id: 'Flags' });

const flagChangeSchema = z.object({
  flag: z.string(),
  from: z.boolean().nullable(),
  to: z.boolean().nullable(),
  effectiveFrom: z.boolean(),
  effectiveTo: z.boolean(),
});

export const flagAuditEntrySchema = z
  .object({ id: z.string(), actor: z.string(), at: z.string(), changes: z.array(flagChangeSchema) })
  .meta({ id: 'FlagAuditEntry' });

export type FlagState = z.infer<typeof flagStateSchema>;
export type FlagsView = z.infer<typeof flagsViewSchema>;
export type FlagChange = z.infer<typeof flagChangeSchema>;
export type FlagAuditEntry = z.infer<typeof flagAuditEntrySchema>;
