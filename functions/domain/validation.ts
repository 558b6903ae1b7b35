import type { z } from 'zod';
import { ValidationError, type ErrorDetail } from './errors.js';

const EXAMPLE_OF_TYPE: Record<string, string> = {
  number: 'a number, e.g. 20',
  int: 'a whole number, e.g. 20',
  string: 'text, e.g. "pop"',
  boolean: 'true or false',
  array: 'a list, e.g. ["pop","dance"]',
  object: 'a JSON object, e.g. {"key":"value"}',
};

/**
 * A message that says what is expected, with an example, instead of zod's generic wording
 * (`expected number, received NaN`, `Invalid option`). Schema-specific messages are kept.
 */
function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.message.endsWith('received undefined')) return 'is required';
      if (!issue.message.startsWith('Invalid input')) return issue.message;
      return `must be ${EXAMPLE_OF_TYPE[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      if (issue.values.length > 0 && issue.message.startsWith('Invalid option')) {
        return `must be one of ${issue.values.map(String).join(', ')} (e.g. ${String(issue.values[0])})`;
      }
      return issue.message;
    default:
      return issue.message;
  }
}

/** Every zod issue as a `{ path, issue }` detail, so one 400 names every offending field. */
function issuesToDetails(issues: readonly z.core.$ZodIssue[], prefix = ''): ErrorDetail[] {
  // zod still runs size checks on a value of the wrong type ("expected array" then "<=50
  // characters" for a string): once a field has the wrong type, that is all there is to say.
  const wrongType = new Set(issues.filter((issue) => issue.code === 'invalid_type').map((issue) => issue.path.join('.')));
  const relevant = issues.filter((issue) => issue.code === 'invalid_type' || !wrongType.has(issue.path.join('.')));
  return relevant.flatMap((issue) => {
    // An unknown key is reported at its own path, one detail per key, so every field is named.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [prefix, ...issue.path.map(String), key].filter(Boolean).join('.'),
        issue: 'is not a field of this request; leave it out (the fields are listed in GET /api/openapi.json)',
      }));
    }
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return [{ path: path || '(body)', issue: describe(issue) }];
  });
}

/** The parsed value, or the details of everything wrong with it (nothing thrown). */
export function parseCollecting<T extends z.ZodType>(schema: T, value: unknown, prefix = ''): { data?: z.infer<T>; details: ErrorDetail[] } {
  const result = schema.safeParse(value);
  return result.success ? { data: result.data, details: [] } : { details: issuesToDetails(result.error.issues, prefix) };
}

export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, prefix = ''): z.infer<T> {
  const { data, details } = parseCollecting(schema, value, prefix);
  if (details.length > 0) throw new ValidationError(details);
  return data as z.infer<T>;
}

/**
 * Runs a check that reports by throwing ValidationError and keeps its details instead, so that
 * checks of different kinds (schema, taxonomy) land in ONE 400 together.
 */
export function collectValidation<T>(check: () => T, into: ErrorDetail[]): T | undefined {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    into.push(...error.details);
    return undefined;
  }
}
