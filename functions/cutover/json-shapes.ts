/** Shapes of decoded JSON values the importer tells apart. */

/** A document of the old backend as plain JSON values (ObjectIds as hex strings, dates as ISO strings). */
export type LegacyDocument = Record<string, unknown>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}
