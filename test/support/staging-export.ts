/**
 * The 60 real staging documents of the old backend (test/fixtures/staging-assets-export.ndjson, a
 * relaxed Extended JSON mongoexport file with deterministic ObjectIds), and the other forms the
 * tests derive from it with bson: canonical Extended JSON, one `--jsonArray` file, and the JSON the
 * old backend's REST API served (ObjectIds as hex strings, dates as ISO strings).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EJSON } from 'bson';
import { PROJECT_ROOT, TEST_OUTPUT } from './test-environment.js';

export const STAGING_EXPORT = path.join(PROJECT_ROOT, 'test/fixtures/staging-assets-export.ndjson');

export type OldBackendAsset = Record<string, unknown> & { _id: string; name: string; updatedAt: string };

export function stagingLines(): string[] {
  return readFileSync(STAGING_EXPORT, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** A line as the old backend's JSON served it: EJSON's types through their toJSON (ObjectId hex, Date ISO). */
function oldBackendJson(line: string): OldBackendAsset {
  return JSON.parse(JSON.stringify(EJSON.parse(line, { relaxed: true }))) as OldBackendAsset;
}

export function stagingAssets(): OldBackendAsset[] {
  return stagingLines().map(oldBackendJson);
}

/** A relaxed Extended JSON line for a document in the old backend's JSON (as mongoexport writes it). */
export function exportLine(asset: Record<string, unknown>): string {
  const document: Record<string, unknown> = { ...asset, _id: { $oid: asset['_id'] } };
  for (const field of ['createdAt', 'updatedAt']) if (typeof asset[field] === 'string') document[field] = { $date: asset[field] };
  return JSON.stringify(document);
}

export function canonicalLines(lines = stagingLines()): string[] {
  return lines.map((line) => EJSON.stringify(EJSON.parse(line, { relaxed: false }), { relaxed: false }));
}

export function jsonArrayText(lines = stagingLines()): string {
  return `[\n${lines.join(',\n')}\n]\n`;
}

/** Writes a file in a fresh directory of test-output and returns its path. */
export function writeExport(name: string, text: string | Buffer): string {
  const file = path.join(mkdtempSync(path.join(TEST_OUTPUT, 'import-')), name);
  writeFileSync(file, text);
  return file;
}

export function writeLines(name: string, lines: string[]): string {
  return writeExport(name, `${lines.join('\n')}\n`);
}
