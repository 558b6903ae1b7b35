/** Every query the asset queries' adapter can issue, built through the same plans the adapter uses. */
import { countPlan, listPlan, matchPlan, shapeOf, type QueryShape } from '../../functions/adapters/firestore/asset-query-plan.js';
import type { AssetFilters, AssetListQuery, SortField } from '../../functions/domain/ports/asset-queries.js';

const TAXONOMY_FILTERS: AssetFilters[] = [{}, { layer: 'S' }, { layer: 'S', categoryCode: 'POP' }, { layer: 'S', categoryCode: 'POP', subcategoryCode: 'BAS' }];
const STATUS_FILTERS: AssetFilters[] = [{}, { status: 'active' }];
const TAG_FILTERS: AssetFilters[] = [{}, { tags: ['pop'] }];
const DATE_FILTERS: AssetFilters[] = [
  {},
  { createdFrom: '2025-01-01T00:00:00.000Z' },
  { createdTo: '2025-02-01T00:00:00.000Z' },
  { createdFrom: '2025-01-01T00:00:00.000Z', createdTo: '2025-02-01T00:00:00.000Z' },
];
const SORT_FIELDS: SortField[] = ['createdAt', 'updatedAt', 'name'];
const DIRECTIONS = ['asc', 'desc'] as const;

function* filterCombinations(): Generator<AssetFilters> {
  for (const taxonomy of TAXONOMY_FILTERS)
    for (const status of STATUS_FILTERS) for (const tags of TAG_FILTERS) for (const dates of DATE_FILTERS) yield { ...taxonomy, ...status, ...tags, ...dates };
}

export interface NamedShape {
  source: string;
  shape: QueryShape;
}

/** Every listing page, listing count and search candidate query, each with what produced it. */
export function allQueryShapes(): NamedShape[] {
  const shapes: NamedShape[] = [];
  for (const filters of filterCombinations()) {
    for (const sortBy of SORT_FIELDS) {
      for (const sortOrder of DIRECTIONS) {
        const query: AssetListQuery = { ...filters, sortBy, sortOrder, offset: 0, limit: 20 };
        shapes.push({ source: `list ${JSON.stringify(query)}`, shape: shapeOf(listPlan(query)) });
        shapes.push({ source: `count ${JSON.stringify(query)}`, shape: shapeOf(countPlan(query)) });
      }
    }
    // A search reads one tier's token, or a word in every tier, beside every filter but the tags;
    // with tags it reads the tag side as a listing does, newest first.
    const { tags, ...untagged } = filters;
    const sides = tags
      ? [filters]
      : [
          { ...untagged, tokens: ['n:pop*'] },
          { ...untagged, tokens: ['n:pop*', 't:pop*', 'c:pop*', 'd:pop*', 's:pop*'] },
        ];
    for (const side of sides) {
      shapes.push({ source: `search ${JSON.stringify(side)}`, shape: shapeOf(matchPlan(side)) });
    }
  }
  // Address lookups, sequence recovery and composite checks query the collection directly (no plan): listed by hand.
  for (const field of ['_sys.hfn', '_sys.mfa', 'name', 'nna_address'])
    shapes.push({ source: `findByAddress/findByStoredAddress ${field} ==`, shape: { equality: [{ field, mode: 'equal' }], order: [] } });
  for (const field of ['components', '_sys.components'])
    shapes.push({ source: `softDelete composites naming ${field}`, shape: { equality: [{ field, mode: 'contains' }], order: [] } });
  for (const field of ['name', 'nna_address'])
    shapes.push({ source: `findByAddress/nextSequence ${field} range`, shape: { equality: [], order: [{ field, direction: 'asc' }] } });
  return shapes;
}
