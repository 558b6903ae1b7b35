import type { z } from 'zod';
import { ValidationError, type ErrorDetail } from '../domain/errors.js';

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return 'is required';
  return issue.message;
}

/** Every zod issue as a `{ path, issue }` detail, so one 400 names every offending field. */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[], prefix = ''): ErrorDetail[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return { path: path || '(body)', issue: describe(issue) };
  });
}

export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, prefix = ''): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(issuesToDetails(result.error.issues, prefix));
  return result.data;
}
