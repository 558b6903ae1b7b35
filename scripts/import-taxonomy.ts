/**
 * Converts the frontend's taxonomy file (nna-taxonomy-v1.x.json) into the project's own data file,
 * functions/domain/taxonomy/nna-taxonomy.json. Run by hand when the frontend ships a new taxonomy:
 *   npm run taxonomy:import -- <path to nna-taxonomy.json>
 * Build, run and tests read only the converted file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Layer numbers are fixed by the NNA naming rules, not by the order of the source file. */
const LAYER_NUMBERS: Record<string, number> = { G: 1, S: 2, L: 3, M: 4, W: 5, B: 6, P: 7, T: 8, C: 9, R: 10 };

interface SourceEntry {
  code?: string;
  name: string;
  subcategories?: Record<string, SourceEntry>;
}
interface SourceLayer {
  name: string;
  categories: Record<string, SourceEntry>;
}

interface Entry {
  code: string;
  number: number;
  name: string;
}

/**
 * Most layers key entries by number ("001") and carry a code; B and P key them by code and carry no
 * number, so their number is the entry's position in the file.
 */
function toEntries(source: Record<string, SourceEntry>): Array<Entry & { source: SourceEntry }> {
  return Object.entries(source).map(([key, entry], index) => {
    const numbered = /^\d{3}$/.test(key);
    return {
      code: numbered ? (entry.code ?? key) : key,
      number: numbered ? Number(key) : index + 1,
      name: entry.name,
      source: entry,
    };
  });
}

function convert(source: Record<string, unknown>, version: string): string {
  const lines: string[] = ['{', `  "version": ${JSON.stringify(version)},`, '  "layers": ['];
  const layerCodes = Object.keys(LAYER_NUMBERS).filter((code) => code in source);
  layerCodes.forEach((layerCode, layerIndex) => {
    const layer = source[layerCode] as SourceLayer;
    lines.push(`    { "code": "${layerCode}", "number": ${LAYER_NUMBERS[layerCode]}, "name": ${JSON.stringify(layer.name)}, "categories": [`);
    const categories = toEntries(layer.categories);
    categories.forEach((category, categoryIndex) => {
      lines.push(`      { "code": "${category.code}", "number": ${category.number}, "name": ${JSON.stringify(category.name)}, "subcategories": [`);
      const subcategories = toEntries(category.source.subcategories ?? {});
      subcategories.forEach((sub, subIndex) => {
        const comma = subIndex < subcategories.length - 1 ? ',' : '';
        lines.push(`        { "code": "${sub.code}", "number": ${sub.number}, "name": ${JSON.stringify(sub.name)} }${comma}`);
      });
      lines.push(`      ] }${categoryIndex < categories.length - 1 ? ',' : ''}`);
    });
    lines.push(`    ] }${layerIndex < layerCodes.length - 1 ? ',' : ''}`);
  });
  lines.push('  ]', '}', '');
  return lines.join('\n');
}

const sourcePath = process.argv[2];
if (!sourcePath) {
  console.error('usage: npm run taxonomy:import -- <path to nna-taxonomy-v1.x.json>');
  process.exit(2);
}
const source = JSON.parse(readFileSync(sourcePath, 'utf8')) as Record<string, unknown> & {
  scalability_features?: { versioning?: { current_version?: string } };
};
const version = (source.scalability_features?.versioning?.current_version ?? 'unknown').replace(/^v/, '');
const here = path.dirname(fileURLToPath(import.meta.url));
const target = path.resolve(here, '../../functions/domain/taxonomy/nna-taxonomy.json');
writeFileSync(target, convert(source, version));
console.log(`wrote ${target} (taxonomy ${version})`);
