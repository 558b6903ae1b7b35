/**
 * Ranking of search matches: the asset whose HFN or MFA was typed first, then the assets matching in
 * more fields, then the newest, then by id, so that the order is total and pages never overlap.
 */
import type { StoredAsset } from '../stored-asset.js';
import { matchingFieldCount, type SearchWords } from './search-query.js';

/** [tier (0 = address typed), matching fields, createdAt, id]. */
export type RankKey = [number, number, string, string];

export function rankKeyOf(asset: StoredAsset, words: SearchWords, addressed: boolean): RankKey {
  return [addressed ? 0 : 1, matchingFieldCount(asset.document, words), asset.document.createdAt, asset.id];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative when `a` ranks before `b`. */
export function compareRank(a: RankKey, b: RankKey): number {
  return a[0] - b[0] || b[1] - a[1] || compareText(b[2], a[2]) || compareText(a[3], b[3]);
}
