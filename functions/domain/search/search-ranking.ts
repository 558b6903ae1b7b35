/**
 * Ranking of search matches: the asset whose address or id was typed first, then by the best field
 * holding a match (name, tags, creatorDescription, description, song data: search-terms.ts), then
 * newest first, then by id. The order is total and is the order Firestore reads one tier in
 * (createdAt descending, then the document id descending), so a page read from the index and a
 * page ranked in memory continue each other, and pages never overlap or skip.
 */
import type { StoredAsset } from '../stored-asset.js';

/** [0 when the address or id was typed, else 1; tier; createdAt; id]. */
export type RankKey = [number, number, string, string];

/** The rank key of a match in `tier`, or of the asset the whole text names (`named`: first, whatever its tier). */
export function rankKeyOf(asset: StoredAsset, tier: number, named = false): RankKey {
  return [named ? 0 : 1, named ? 0 : tier, String(asset.document.createdAt), asset.id];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative when `a` ranks before `b`. */
export function compareRank(a: RankKey, b: RankKey): number {
  return a[0] - b[0] || a[1] - b[1] || compareText(b[2], a[2]) || compareText(b[3], a[3]);
}
