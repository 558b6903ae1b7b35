/** A listing, or a word search when `search` holds words; filters given as codes or names. */
import { ValidationError } from '../domain/errors.js';
import type { AssetFilters, AssetQueries } from '../domain/ports/asset-queries.js';
import type { ListAssetsQuery } from '../domain/schemas/asset-query.js';
import { wordsOf } from '../domain/search/normalize.js';
import type { Taxonomy } from '../domain/taxonomy/taxonomy.js';
import { listAssets, type AssetListing } from './asset-listing.js';
import { searchAssets } from './asset-search.js';

export class ListAssets {
  constructor(private readonly deps: { queries: AssetQueries; taxonomy: Taxonomy }) {}

  async list(query: ListAssetsQuery): Promise<AssetListing> {
    const filters = this.filtersOf(query);
    const text = query.search ?? '';
    return wordsOf(text).length > 0 ? searchAssets(this.deps.queries, this.deps.taxonomy, filters, text, query) : listAssets(this.deps.queries, filters, query);
  }

  /** Turns client filters (codes or names) into the store's codes. */
  private filtersOf(query: ListAssetsQuery): AssetFilters {
    const taxonomy = this.deps.taxonomy;
    const filters: AssetFilters = {};
    if (query.layer) {
      const layer = taxonomy.findLayer(query.layer);
      if (!layer) throw ValidationError.single('layer', `Invalid layer: ${query.layer}`);
      filters.layer = layer.code;
      if (query.category) {
        const { category } = taxonomy.resolveCategory(layer.code, query.category);
        filters.categoryCode = category.code;
        if (query.subcategory) {
          filters.subcategoryCode = taxonomy.resolve({ layer: layer.code, category: category.code, subcategory: query.subcategory }).subcategory.code;
        }
      } else if (query.subcategory) {
        throw ValidationError.single('subcategory', 'A subcategory filter needs a category filter too');
      }
    } else if (query.category || query.subcategory) {
      throw ValidationError.single(query.category ? 'category' : 'subcategory', 'A category or subcategory filter needs a layer filter too');
    }
    if (query.status) filters.status = query.status;
    if (query.tags) filters.tags = query.tags;
    if (query.startDate) filters.createdFrom = new Date(query.startDate).toISOString();
    // A date without a time means the whole of that day.
    if (query.endDate) filters.createdTo = new Date(query.endDate.length === 10 ? `${query.endDate}T23:59:59.999Z` : query.endDate).toISOString();
    return filters;
  }
}
