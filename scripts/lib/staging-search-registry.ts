/**
 * A registry in staging's shape for search: the staging-shaped export (staging-export-generator.ts:
 * two thirds composites), the composites created last, with the text that makes staging's searches hard. Stars are
 * named after performers (in their description and tags), songs carry titles, and every composite
 * is tagged with the name of the star it is made of, so the newest holders of a performer's name,
 * and of `pop` (every composite's name holds `C.FUL.POP`-like paths, its description the export's
 * words), are composites. Documents come in the old backend's JSON (ObjectIds as hex, dates as ISO
 * strings), as the importer reads them; `storedStagingDocuments` turns them into what the importer
 * stores, through the importer's own transform, for the benchmark and the unit tier.
 */
import { EJSON } from 'bson';
import { prepareLegacyAsset, storedDocumentOf, type LegacyDocument } from '../../functions/cutover/legacy-asset.js';
import { taxonomy } from '../../functions/domain/taxonomy/taxonomy.js';
import { stagingExportLines } from './staging-export-generator.js';

export const PERFORMERS = [
  'Selena',
  'Doechii',
  'Sabrina',
  'Gaga',
  'Shawn',
  'Camila',
  'Connie',
  'Kodak',
  'Benny',
  'Olivia',
  'Dua',
  'Bruno',
  'Ariana',
  'Billie',
  'Taylor',
];
const TITLES = ['Anxiety', 'Senorita', 'Manchild', 'Abracadabra', 'Espresso', 'Flowers', 'Levitating', 'Popular', 'Poppin', 'Bluest Flame', 'Vampire', 'Lunch'];
const MOODS = ['mellow', 'upbeat', 'dreamy', 'gritty', 'sassy', 'soulful', 'popping', 'neon', 'retro', 'smooth', 'urban', 'viral', 'chill'];

function pick<T>(list: readonly T[], index: number, salt: number): T {
  return list[(index * 31 + salt * 17 + Math.floor(index / list.length)) % list.length]!;
}

/** The export's documents, the composites after every other asset (as in staging), in the old backend's JSON. */
function* compositesLast(count: number, compositeShare: number): Generator<LegacyDocument> {
  let position = 0;
  for (const composites of [false, true]) {
    for (const line of stagingExportLines(count, compositeShare)) {
      const document = JSON.parse(JSON.stringify(EJSON.parse(line, { relaxed: true }))) as LegacyDocument;
      if ((document['layer'] === 'C') !== composites) continue;
      const created = Date.UTC(2025, 5, 20) + position++ * 37_000;
      document['createdAt'] = new Date(created).toISOString();
      document['updatedAt'] = new Date(created + 3_600_000).toISOString();
      yield document;
    }
  }
}

/** The export's documents with staging's kind of text, in the old backend's JSON. */
export function* stagingSearchSources(count: number, compositeShare = 0.64): Generator<LegacyDocument> {
  let index = 0;
  /** A Star's performer, by the Star's letter-form address: what a composite made of it is tagged with. */
  const performers = new Map<string, string>();
  for (const document of compositesLast(count, compositeShare)) {
    const layer = document['layer'];
    const moods = [pick(MOODS, index, 1), pick(MOODS, index, 2), pick(MOODS, index, 3)];
    if (layer === 'S') {
      const performer = pick(PERFORMERS, index, 4);
      performers.set(String(document['nna_address']), performer);
      document['description'] = `${performer} as a ${moods.join(' ')} star. Asset ${index}.`;
      document['tags'] = [performer, ...moods];
    } else if (layer === 'G') {
      const title = pick(TITLES, index, 5);
      document['description'] = `${title} by ${pick(PERFORMERS, index, 6)}. A ${moods.join(', ')} track.`;
      document['tags'] = [title.toLowerCase().replace(/ /g, '-'), ...moods];
    } else if (layer === 'C') {
      const star = (document['components'] as string[]).find((component) => component.startsWith('S.'));
      const performer = (star && performers.get(star)) ?? PERFORMERS[0]!;
      document['description'] = `Remix of ${performer}: ${moods.join(' ')} composite ${index}`;
      document['tags'] = [performer, 'remix', ...moods];
    } else {
      document['description'] = `A ${moods.join(' ')} ${String(layer).toLowerCase()} asset ${index}`;
      document['tags'] = moods;
    }
    index++;
    yield document;
  }
}

/** A source document as `npm run import` stores it (search index included). */
export function storedDocumentFrom(source: LegacyDocument): { id: string; data: LegacyDocument } {
  const prepared = prepareLegacyAsset(taxonomy, source);
  return { id: prepared.id, data: storedDocumentOf(prepared, undefined, { source: 'staging-search', importedAt: '2026-01-01T00:00:00.000Z' }) };
}

/** The documents as `npm run import` stores them. */
export function* storedStagingDocuments(count: number, compositeShare = 0.64): Generator<{ id: string; data: LegacyDocument }> {
  for (const source of stagingSearchSources(count, compositeShare)) yield storedDocumentFrom(source);
}
