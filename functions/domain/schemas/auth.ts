/** Sign-in, registration, the user as clients read it, and role changes. */
import { z } from 'zod';
import { ROLES } from '../ports/token-verifier.js';
import { isoDateTimeSchema } from './common.js';

const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be an email address' }).max(320));
// Passwords are passed to the identity provider as typed: never trimmed, stored or logged here.
const passwordSchema = z.string().min(1, 'is required').max(4096);

export const loginSchema = z.object({ email: emailSchema, password: passwordSchema }).meta({ id: 'LoginRequest' });

export const registerSchema = z
  .object({
    username: z.string().trim().min(1).max(100).optional(),
    email: emailSchema,
    password: z.string().min(6, 'must be at least 6 characters').max(4096),
  })
  .meta({ id: 'RegisterRequest' });

const roleSchema = z.enum(ROLES as ['editor', 'admin']);

/** The signed-in user in the shape the web frontend keeps (`id`, `username`, `email`, `role`). */
export const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    email: z.string(),
    role: z.enum(['admin', 'editor', 'user']).meta({ description: 'The strongest of roles; "user" when none' }),
    roles: z.array(roleSchema),
  })
  .meta({ id: 'User' });

export const authResultSchema = z.object({ token: z.string(), user: userSchema }).meta({ id: 'AuthResult' });

export const roleUpdateSchema = z
  .object({
    roles: z
      .array(roleSchema)
      .max(ROLES.length)
      .transform((roles) => [...new Set(roles)]),
  })
  .meta({ id: 'RoleUpdate' });

export const roleAuditEntrySchema = z
  .object({
    id: z.string(),
    actor: z.string(),
    at: isoDateTimeSchema,
    uid: z.string(),
    email: z.string(),
    from: z.array(roleSchema),
    to: z.array(roleSchema),
  })
  .meta({ id: 'RoleAuditEntry' });

export type LoginInput = z.infer<typeof loginSchema>;
export type RegisterInput = z.infer<typeof registerSchema>;
export type UserView = z.infer<typeof userSchema>;
export type RoleAuditEntry = z.infer<typeof roleAuditEntrySchema>;
