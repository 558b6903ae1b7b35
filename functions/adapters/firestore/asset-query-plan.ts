/**
 * The Firestore queries of listings and searches, described as data. The asset queries' adapter
 * (firestore-asset-queries.ts) and its in-memory fake build their queries from these plans, and the
 * index test enumerates every plan the API can produce and checks that `infra/firestore.indexes.json`
 * backs its shape: one function serves both, so they cannot drift.
 */
import type { AssetFilters, AssetListQuery, MatchFilters } from '../../domain/ports/asset-queries.js';
import { SEARCH_INDEX_FIELD } from '../../domain/search/search-terms.js';

type Direction = 'asc' | 'desc';
type FilterOperator = '==' | 'array-contains' | 'array-contains-any' | '>=' | '<=';

interface FilterClause {
  field: string;
  op: FilterOperator;
  value: unknown;
}

export interface OrderClause {
  field: string;
  direction: Direction;
}

/** A query as filters and orders; the document id is always the last order, in the last direction. */
export interface QueryPlan {
  filters: FilterClause[];
  orderBy: OrderClause[];
}

/** What decides which index serves a query: equality-like fields, then the ordered fields. */
export interface QueryShape {
  equality: Array<{ field: string; mode: 'equal' | 'contains' }>;
  order: OrderClause[];
}

function filterClauses(filters: Omit<AssetFilters, 'tags'> & { tags?: string[] | undefined }): FilterClause[] {
  const clauses: FilterClause[] = [];
  if (filters.layer) clauses.push({ field: 'layer', op: '==', value: filters.layer });
  if (filters.categoryCode) clauses.push({ field: 'categoryCode', op: '==', value: filters.categoryCode });
  if (filters.subcategoryCode) clauses.push({ field: 'subcategoryCode', op: '==', value: filters.subcategoryCode });
  if (filters.status) clauses.push({ field: 'status', op: '==', value: filters.status });
  if (filters.tags && filters.tags.length > 0) clauses.push({ field: 'tags', op: 'array-contains-any', value: filters.tags });
  if (filters.createdFrom) clauses.push({ field: 'createdAt', op: '>=', value: filters.createdFrom });
  if (filters.createdTo) clauses.push({ field: 'createdAt', op: '<=', value: filters.createdTo });
  return clauses;
}

function hasDateRange(filters: AssetFilters): boolean {
  return Boolean(filters.createdFrom || filters.createdTo);
}

/** A page of a listing: the sort field, then createdAt when a date range is on another field. */
export function listPlan(query: AssetListQuery): QueryPlan {
  const orderBy: OrderClause[] = [{ field: query.sortBy, direction: query.sortOrder }];
  // Stated explicitly (Firestore would add it implicitly) so the cursor knows every order value.
  if (hasDateRange(query) && query.sortBy !== 'createdAt') orderBy.push({ field: 'createdAt', direction: query.sortOrder });
  return { filters: filterClauses(query), orderBy };
}

/** The `count()` aggregation of a listing: its filters, no order. */
export function countPlan(query: AssetListQuery): QueryPlan {
  return { filters: filterClauses(query), orderBy: [] };
}

/**
 * The matches of a search's index lookup, newest first: one `array-contains` (one tier's token) or
 * `array-contains-any` (a word in every tier) on the search index beside the listing's filters, so
 * the composite index (`_sys.search` CONTAINS, createdAt DESC) merged with the equality fields'
 * (field, createdAt DESC) indexes serves every combination. Without tokens it is the listing's
 * newest-first query (the tag side of a search with `tags[]`). Its `count()` runs the same plan, order
 * included, so it counts exactly the documents the pages can read (those with a createdAt) from
 * the same indexes.
 */
export function matchPlan(query: MatchFilters): QueryPlan {
  const filters = filterClauses(query);
  const tokens = query.tokens ?? [];
  if (tokens.length > 0) {
    if (query.tags && query.tags.length > 0) throw new Error('a match query takes search tokens or tags, not both (one array filter a query)');
    filters.push(
      tokens.length === 1
        ? { field: SEARCH_INDEX_FIELD, op: 'array-contains', value: tokens[0] }
        : { field: SEARCH_INDEX_FIELD, op: 'array-contains-any', value: [...tokens] },
    );
  }
  return { filters, orderBy: [{ field: 'createdAt', direction: 'desc' }] };
}

/** Range fields not ordered explicitly are ordered ascending after the others, as Firestore does. */
export function shapeOf(plan: QueryPlan): QueryShape {
  const equality: QueryShape['equality'] = [];
  const order = [...plan.orderBy];
  for (const clause of plan.filters) {
    if (clause.op === '==') equality.push({ field: clause.field, mode: 'equal' });
    else if (clause.op === 'array-contains' || clause.op === 'array-contains-any') equality.push({ field: clause.field, mode: 'contains' });
    else if (!order.some((entry) => entry.field === clause.field)) order.push({ field: clause.field, direction: 'asc' });
  }
  return { equality, order };
}
