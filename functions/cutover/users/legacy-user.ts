/**
 * A user of the old backend (its Mongoose User schema: `_id`, `email` unique, `password` hashed
 * with bcryptjs at cost 10, `role` `user` | `admin`, timestamps, maybe `username`) and the account
 * it becomes here: the same id as its uid, `admin` -> admin, `user` -> editor (the old backend let
 * every user register assets).
 */
import { z } from 'zod';
import { legacyHashProblem } from '../../domain/legacy-password-hash.js';
import type { Role } from '../../domain/ports/token-verifier.js';

const ROLES_OF: Record<'admin' | 'user', Role[]> = { admin: ['admin'], user: ['editor'] };

const legacyUserSchema = z.object({
  // The export is decoded like the assets' (functions/cutover/adapters/extended-json.ts): ObjectIds
  // arrive as their 24-hex text, dates as ISO strings.
  _id: z
    .string()
    .regex(/^[0-9a-fA-F]{24}$/, 'is not an ObjectId (24 hex digits)')
    .transform((id) => id.toLowerCase()),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: 'is not an email address' }).max(320)),
  // Only what the old backend made (domain/legacy-password-hash.ts): any other hash would make its
  // user's sign-ins fail, or cost them a different amount of work.
  password: z.string().superRefine((hash, context) => {
    const problem = legacyHashProblem(hash);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  }),
  // Mongoose stores the schema's default, so a missing role is the default one.
  role: z.enum(['admin', 'user']).default('user'),
  username: z.string().trim().min(1).max(100).optional(),
  createdAt: z.iso.datetime({ offset: true }).optional(),
});

export interface LegacyUser {
  uid: string;
  email: string;
  /** The bcrypt hash, as the old backend stored it. */
  hash: string;
  roles: Role[];
  displayName?: string;
  createdAt?: string;
}

/** The account an exported user document becomes, or what is wrong with the document (never the hash itself). */
export function legacyUserOf(document: Record<string, unknown>): { user: LegacyUser } | { problem: string } {
  const parsed = legacyUserSchema.safeParse(document);
  if (!parsed.success) {
    return { problem: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(document)'} ${issue.message}`).join('; ') };
  }
  const { _id, email, password, role, username, createdAt } = parsed.data;
  const user: LegacyUser = { uid: _id, email, hash: password, roles: ROLES_OF[role] };
  if (username !== undefined) user.displayName = username;
  if (createdAt !== undefined) user.createdAt = createdAt;
  return { user };
}
