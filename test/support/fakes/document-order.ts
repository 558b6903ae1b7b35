/**
 * How Firestore stores and orders values, for the in-memory fakes: what a write keeps (undefined
 * properties dropped, as the production client's `ignoreUndefinedProperties` does), how a field is
 * read by its dotted path, and the order of values of different types and of strings (UTF-8 bytes,
 * that is code points, not UTF-16 units). The contract suites hold the fakes to the real adapters.
 */

/** A deep copy as Firestore would store it: undefined properties are not written. */
export function stored<T>(value: T): T {
  if (Array.isArray(value)) return value.map((entry: unknown) => stored(entry)) as T;
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) if (entry !== undefined) result[key] = stored(entry);
    return result as T;
  }
  return value;
}

/** The value at a dotted field path (`_sys.terms.lov*`), undefined when any step is missing. */
export function fieldOf(document: unknown, path: string): unknown {
  let value: unknown = document;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** Firestore's order of types: null, booleans, numbers, strings, then arrays and maps. */
function typeRank(value: unknown): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'number') return 2;
  if (typeof value === 'string') return 3;
  if (Array.isArray(value)) return 5;
  return 6;
}

/** Strings compare by code point, which is the UTF-8 byte order Firestore uses. */
export function compareStrings(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const difference = left[index]!.codePointAt(0)! - right[index]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

export function compareValues(a: unknown, b: unknown): number {
  const rank = typeRank(a) - typeRank(b);
  if (rank !== 0) return rank;
  if (typeof a === 'boolean' || typeof a === 'number') return Number(a) - Number(b);
  if (typeof a === 'string') return compareStrings(a, b as string);
  return compareStrings(JSON.stringify(a), JSON.stringify(b));
}

/** A range or equality filter matches only values of the same type, as in Firestore. */
export function sameType(a: unknown, b: unknown): boolean {
  return typeRank(a) === typeRank(b);
}
