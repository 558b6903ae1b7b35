/**
 * fast-check generators of hostile exports of the old backend, for the importer's fuzz suite: the
 * shapes that used to block, crash or mislead an import (a twin name in another spelling, a
 * `__proto__` field, a line longer than the bound, route-like ids, script URLs, dates in the year
 * 9999, bytes that are not UTF-8, a duplicate `_id`) and their siblings (other reserved field
 * names, `$` keys, arrays in arrays, ids Firestore refuses, truncated JSON, blank lines), mixed
 * with honest staging documents. An export is a list of lines; `bytesOf` gives a line's bytes (a
 * counterexample prints a huge line by its size, not its megabytes).
 */
import fc from 'fast-check';
import { exportLine, stagingAssets, type OldBackendAsset } from '../support/staging-export.js';

const STAGING = stagingAssets();
/** A few ids shared by many lines, so that duplicates and renames meet each other. */
const ID_POOL = STAGING.slice(0, 12).map((asset) => asset._id);

const staging = fc.constantFrom(...STAGING);

/** Names of the taxonomy in other spellings: leading zeros, lower case, a composite's colon form. */
const nameVariant = fc.tuple(staging, fc.integer({ min: 0, max: 3 }), fc.boolean()).map(([asset, zeros, lower]) => {
  const [base, ...rest] = asset.name.split(':');
  const parts = base!.split('.');
  parts[parts.length - 1] = `${'0'.repeat(zeros)}${parts.at(-1)!}`;
  const name = [parts.join('.'), ...rest].join(':');
  return lower ? name.toLowerCase() : name;
});

const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', '__name__', '', '$where', 'a.b', '\u0000', '\ud800');
const hostileValue = fc.oneof(
  fc.constantFrom<unknown>([[1]], { $regex: 'x' }, { $oid: 'zz' }, { $date: 'never' }, { $numberLong: '9223372036854775807' }, null, 1e308, -0),
  fc.string({ maxLength: 30 }),
  fc.jsonValue({ maxDepth: 3 }),
);
const hostileId = fc.constantFrom('search', 'deleted', 'upload', 'nna', '', 'a/b', '..', '__x__', 'x'.repeat(1600), 'not-hex-at-all');
const hostileUrl = fc.constantFrom(
  'javascript:alert(1)',
  'data:text/html,<script>1</script>',
  'http://example.com/a.png',
  'https://example.com/a.png',
  ' ',
  'vbscript:x',
);
const hostileDate = fc.constantFrom<unknown>('9999-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', 'yesterday', 0, null, {
  $date: '9999-12-31T23:59:59.999Z',
});

export type ExportLine = { text: string } | { notUtf8: string } | { hugeBytes: number };

export function bytesOf(line: ExportLine): Buffer {
  if ('text' in line) return Buffer.from(line.text);
  // 0xC3 0x28: a two-byte sequence's lead byte followed by one that cannot continue it.
  if ('notUtf8' in line) return Buffer.concat([Buffer.from(line.notUtf8.slice(0, -2)), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
  return Buffer.concat([Buffer.from('{"_id":{"$oid":"6868aaaa5f3e9d1c2b1a2b91"},"description":"'), Buffer.alloc(line.hugeBytes, 'y'), Buffer.from('"}')]);
}

/** One document of the export as the old backend's JSON, perhaps altered in one or two ways. */
const documentLine: fc.Arbitrary<ExportLine> = fc
  .record({
    asset: staging,
    id: fc.option(fc.constantFrom(...ID_POOL), { nil: undefined }),
    name: fc.option(nameVariant, { nil: undefined }),
    field: fc.option(fc.tuple(fc.constantFrom('metadata', 'tags', 'description', 'extra'), hostileKey, hostileValue), { nil: undefined }),
    stringId: fc.option(hostileId, { nil: undefined }),
    albumArt: fc.option(hostileUrl, { nil: undefined }),
    date: fc.option(fc.tuple(fc.constantFrom('createdAt', 'updatedAt'), hostileDate), { nil: undefined }),
  })
  .map((spec) => {
    const document: Record<string, unknown> = { ...(spec.asset as OldBackendAsset) };
    if (spec.id) document['_id'] = spec.id;
    if (spec.name) document['name'] = spec.name;
    if (spec.albumArt) document['albumArt'] = spec.albumArt;
    let line = exportLine(document);
    if (spec.date) line = line.replace(new RegExp(`"${spec.date[0]}":\\{"\\$date":"[^"]*"\\}`), `"${spec.date[0]}":${JSON.stringify(spec.date[1])}`);
    if (spec.stringId !== undefined) line = line.replace(/^\{"_id":\{"\$oid":"[0-9a-f]{24}"\}/, `{"_id":${JSON.stringify(spec.stringId)}`);
    if (spec.field) {
      const [field, key, value] = spec.field;
      // Written as text: an object literal would turn `__proto__` into a prototype instead of a key.
      line = line.replace(/\}$/, `,"${field}x":{${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}}}`);
    }
    return { text: line };
  });

/** A line that is not a document: truncated, not UTF-8, longer than the bound, blank. */
const brokenLine: fc.Arbitrary<ExportLine> = fc.oneof(
  staging.map((asset) => ({ text: exportLine(asset).slice(0, 40) })),
  staging.map((asset) => ({ notUtf8: exportLine(asset) })),
  fc.constant({ text: '   ' }),
  fc.constant({ text: '[1,2,3]' }),
  fc.constant({ text: '{"_id":{"$oid":"6868aaaa5f3e9d1c2b1a2b90"},"name":"G.POP.BAD.001","description":"x"}' }),
);

/** A line over the 4 MiB bound (rarely: each costs a few MB of file). */
const hugeLine: fc.Arbitrary<ExportLine> = fc.integer({ min: 4 * 1024 * 1024 + 1, max: 6 * 1024 * 1024 }).map((hugeBytes) => ({ hugeBytes }));

export const hostileExport: fc.Arbitrary<ExportLine[]> = fc.array(
  fc.oneof({ weight: 20, arbitrary: documentLine }, { weight: 4, arbitrary: brokenLine }, { weight: 1, arbitrary: hugeLine }),
  { minLength: 1, maxLength: 40 },
);
