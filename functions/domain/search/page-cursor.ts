/**
 * The opaque `nextCursor` of listings and searches: base64url JSON naming the page it leads to, the
 * position to continue after, and a fingerprint of the query it belongs to, so that a cursor is
 * refused (400) when it is malformed or replayed against another query.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isStorableDocumentId } from '../asset-id.js';
import { ValidationError } from '../errors.js';
import { jsonProblemOf } from '../json-inspection.js';
import { SEARCH_TIERS } from './search-terms.js';

const positionValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const listCursorSchema = z.strictObject({
  v: z.literal(1),
  k: z.literal('list'),
  q: z.string(),
  p: z.number().int().min(2),
  // The order values, then the document id to continue after: an id Firestore cannot hold (a/b,
  // __x__, empty) would make the query itself fail.
  at: z
    .array(positionValue)
    .min(2)
    .max(3)
    .refine((at) => {
      const id = at[at.length - 1];
      return typeof id === 'string' && isStorableDocumentId(id);
    }),
});

const searchCursorSchema = z.strictObject({
  // Version 2: the rank key's second value is the match's tier (version 1 held a count of fields).
  v: z.literal(2),
  k: z.literal('search'),
  q: z.string(),
  p: z.number().int().min(2),
  /** The rank key of the last item served (search-ranking.ts); its createdAt and id continue a Firestore query. */
  at: z.tuple([
    z.number().int().min(0).max(1),
    z
      .number()
      .int()
      .min(0)
      .max(SEARCH_TIERS.length - 1),
    z.string(),
    z.string().refine((id) => isStorableDocumentId(id)),
  ]),
});

const pageCursorSchema = z.discriminatedUnion('k', [listCursorSchema, searchCursorSchema]);

export type PageCursor = z.infer<typeof pageCursorSchema>;

/** Identifies a query without its paging, so that a cursor only continues the query it came from. */
export function queryFingerprint(parameters: Record<string, unknown>): string {
  const stable = Object.keys(parameters)
    .filter((key) => !['page', 'limit', 'cursor'].includes(key) && parameters[key] !== undefined)
    .sort()
    .map((key) => [key, parameters[key]]);
  return createHash('sha256').update(JSON.stringify(stable)).digest('base64url').slice(0, 16);
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Decodes a cursor for the query with this fingerprint; anything else is a 400 naming `cursor`. */
export function decodeCursor(text: string, fingerprint: string): PageCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch (error) {
    // Not JSON: the client sent something that is not one of our cursors; say so, as a 400.
    if (error instanceof SyntaxError) throw ValidationError.single('cursor', 'is not a cursor this API issued');
    throw error;
  }
  // Its strings go to Firestore as query values: they must be well-formed text.
  if (jsonProblemOf(parsed, { maxDepth: 4 })) throw ValidationError.single('cursor', 'is not a cursor this API issued');
  const result = pageCursorSchema.safeParse(parsed);
  if (!result.success) throw ValidationError.single('cursor', 'is not a cursor this API issued');
  if (result.data.q !== fingerprint) throw ValidationError.single('cursor', 'belongs to another query (filters, sort or search changed)');
  return result.data;
}
