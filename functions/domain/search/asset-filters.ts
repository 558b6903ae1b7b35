/** The listing filters checked on a document in memory, for assets not found through the filtered query. */
import type { AssetFilters } from '../ports/asset-queries.js';
import type { AssetDocument } from '../schemas/asset.js';

function tagsMatch(document: AssetDocument, tags: readonly string[] | undefined): boolean {
  return !tags || tags.length === 0 || (document.tags ?? []).some((tag) => tags.includes(tag));
}

export function matchesFilters(document: AssetDocument, filters: AssetFilters): boolean {
  if (filters.layer && document.layer !== filters.layer) return false;
  if (filters.categoryCode && document.categoryCode !== filters.categoryCode) return false;
  if (filters.subcategoryCode && document.subcategoryCode !== filters.subcategoryCode) return false;
  if (filters.status && document.status !== filters.status) return false;
  if (filters.createdFrom && document.createdAt < filters.createdFrom) return false;
  if (filters.createdTo && document.createdAt > filters.createdTo) return false;
  return tagsMatch(document, filters.tags);
}
