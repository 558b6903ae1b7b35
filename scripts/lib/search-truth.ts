/**
 * What a search must answer, computed the slow and obvious way from the documents' own text, for
 * the tests and the benchmark to hold the index-backed search to: every asset holding every word
 * (as the start of a word of its name, tags, creatorDescription, description or song data) and
 * passing every filter, ranked by the best field holding a match, then newest, then id.
 * It shares only the word normalization (wordsOf) with the code it checks.
 */
import type { AssetFilters } from '../../functions/domain/ports/asset-queries.js';
import { wordsOf } from '../../functions/domain/search/normalize.js';

export interface TruthDocument {
  id: string;
  data: Record<string, unknown>;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The words of each ranking field, best first. */
function fieldWords(data: Record<string, unknown>): string[][] {
  const song = (data['extractedSongData'] ?? {}) as Record<string, unknown>;
  const tags = Array.isArray(data['tags']) ? (data['tags'] as unknown[]).map(text).join(' ') : '';
  return [
    wordsOf(text(data['name'])),
    wordsOf(tags),
    wordsOf(text(data['creatorDescription'])),
    wordsOf(text(data['description'])),
    wordsOf([song['songName'], song['artistName'], song['albumName']].map(text).join(' ')),
  ];
}

function passes(data: Record<string, unknown>, filters: AssetFilters): boolean {
  if (filters.layer && data['layer'] !== filters.layer) return false;
  if (filters.categoryCode && data['categoryCode'] !== filters.categoryCode) return false;
  if (filters.subcategoryCode && data['subcategoryCode'] !== filters.subcategoryCode) return false;
  if (filters.status && data['status'] !== filters.status) return false;
  const createdAt = text(data['createdAt']);
  if (filters.createdFrom && createdAt < filters.createdFrom) return false;
  if (filters.createdTo && createdAt > filters.createdTo) return false;
  if (filters.tags && filters.tags.length > 0) {
    const tags = Array.isArray(data['tags']) ? (data['tags'] as unknown[]) : [];
    if (!tags.some((tag) => filters.tags!.includes(tag as string))) return false;
  }
  return true;
}

/** The ids a search of `search` with `filters` must answer, in rank order. */
export function searchTruth(documents: Iterable<TruthDocument>, search: string, filters: AssetFilters): string[] {
  const words = [...new Set(wordsOf(search))];
  const found: Array<{ id: string; tier: number; createdAt: string }> = [];
  for (const { id, data } of documents) {
    if (!passes(data, filters)) continue;
    const fields = fieldWords(data);
    const tierOf = (word: string): number => fields.findIndex((field) => field.some((candidate) => candidate.startsWith(word)));
    const tiers = words.map(tierOf);
    if (tiers.some((tier) => tier < 0)) continue;
    found.push({ id, tier: Math.min(...tiers), createdAt: text(data['createdAt']) });
  }
  const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return found.sort((a, b) => a.tier - b.tier || compare(b.createdAt, a.createdAt) || compare(b.id, a.id)).map((entry) => entry.id);
}
