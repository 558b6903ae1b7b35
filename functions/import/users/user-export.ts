/**
 * The old backend's User export as `mongoexport` writes it: one document a line (NDJSON) or one
 * JSON array (`--jsonArray`), in relaxed or canonical Extended JSON, read with `bson`'s EJSON. A
 * line that does not parse is reported with its number and the other lines are still read; an
 * array that does not parse makes the whole file unreadable.
 */
import { BSONError, EJSON } from 'bson';

export type ExportRecord = { line: number; document: Record<string, unknown> } | { line: number; problem: string };

/** The file cannot be read as an export at all: nothing may be written. */
export class UnreadableExportError extends Error {}

function isDocument(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseExtendedJson(text: string): unknown {
  return EJSON.parse(text, { relaxed: true });
}

/** Each document of the export with its line (NDJSON) or its position in the array (`--jsonArray`), from 1. */
export function readUserExport(text: string): ExportRecord[] {
  if (text.trimStart().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = parseExtendedJson(text);
    } catch (error) {
      throw new UnreadableExportError(`the JSON array does not parse as Extended JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new UnreadableExportError('the file starts with [ but is not one JSON array');
    return parsed.map((value, index) =>
      isDocument(value) ? { line: index + 1, document: value } : { line: index + 1, problem: 'is not a JSON object (a document)' },
    );
  }
  const records: ExportRecord[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    if (raw.trim() === '') continue;
    try {
      const value = parseExtendedJson(raw);
      records.push(isDocument(value) ? { line: index + 1, document: value } : { line: index + 1, problem: 'is not a JSON object (a document)' });
    } catch (error) {
      // A malformed line is reported with its number; the other lines are still imported.
      if (!(error instanceof SyntaxError) && !(error instanceof BSONError)) throw error;
      records.push({ line: index + 1, problem: `does not parse as Extended JSON: ${error.message}` });
    }
  }
  return records;
}
