/**
 * A stored document as plain JSON, without loss: what migrations read and return, so that they are
 * pure functions with no database types. Each top-level field holds its value in the backup
 * encoding (the Firestore adapter's encodeValue, adapters/firestore/firestore-values.ts): values
 * beyond JSON are one-key objects whose key starts with `$` (`{ $ts: [seconds, nanoseconds] }`,
 * `{ $geo: [latitude, longitude] }`, `{ $ref: path }`, `{ $bytes: base64 }`, `{ $num: "NaN" }`), and
 * a stored map that itself has a key starting with `$` is wrapped in `{ $map: ... }`.
 */
export type PlainDocument = Record<string, unknown>;

function tagged(value: unknown, tag: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === tag ? (value as Record<string, unknown>)[tag] : undefined;
}

/** A stored timestamp's ISO text, as the database client's own `toDate().toISOString()` gives it (rounded to the millisecond); undefined for any other value. */
export function timestampIsoOf(value: unknown): string | undefined {
  const parts = tagged(value, '$ts');
  if (!Array.isArray(parts) || typeof parts[0] !== 'number' || typeof parts[1] !== 'number') return undefined;
  return new Date(parts[0] * 1000 + Math.round(parts[1] / 1e6)).toISOString();
}

/** True when two plain values are the same stored value (map keys in any order). */
export function samePlainValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((entry, index) => samePlainValue(entry, b[index]));
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(b)) return false;
  const aRecord = a as Record<string, unknown>;
  const bRecord = b as Record<string, unknown>;
  const aKeys = Object.keys(aRecord);
  if (aKeys.length !== Object.keys(bRecord).length) return false;
  return aKeys.every((key) => key in bRecord && samePlainValue(aRecord[key], bRecord[key]));
}

/**
 * What clients read of a stored value: timestamps as ISO text, wrapped maps unwrapped, non-finite
 * numbers as numbers; other special values stay tagged objects.
 */
export function clientJsonOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clientJsonOf);
  if (value === null || typeof value !== 'object') return value;
  const iso = timestampIsoOf(value);
  if (iso !== undefined) return iso;
  const number = tagged(value, '$num');
  if (typeof number === 'string') return Number(number);
  const inner = tagged(value, '$map');
  const record = (inner !== undefined && inner !== null && typeof inner === 'object' ? inner : value) as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(record)) result[key] = clientJsonOf(entry);
  return result;
}

/** A whole document in the backup encoding (one value: wrapped when a top-level key starts with `$`). */
export function encodedDocumentOf(document: PlainDocument): unknown {
  return Object.keys(document).some((key) => key.startsWith('$')) ? { $map: document } : document;
}

/** The plain document of a whole document in the backup encoding (a backup line, a history before-image). */
export function plainDocumentOfEncoded(encoded: unknown): PlainDocument {
  const inner = tagged(encoded, '$map');
  return (inner ?? encoded) as PlainDocument;
}
