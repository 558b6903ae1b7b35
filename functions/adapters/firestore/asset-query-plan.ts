/**
 * The Firestore queries the asset repository issues, described as data. The repository builds its
 * queries from these plans, and the index test enumerates every plan the API can produce and checks
 * that `infra/firestore.indexes.json` backs its shape: one function serves both, so they cannot drift.
 */
import type { AssetFilters, AssetListQuery, AssetSearchQuery } from '../../domain/ports/asset-repository.js';

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

/** The map of search terms; each entry `_sys.terms.<term>` holds the asset's createdAt. */
const SEARCH_TERMS_FIELD = '_sys.terms';

/** The field of one term (terms hold no dots: they are letters, digits and a trailing `*`). */
function searchTermField(term: string): string {
  return `${SEARCH_TERMS_FIELD}.${term}`;
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
 * Search candidates: the assets holding one term, newest first, ordered on that term's own map
 * entry (whose value is createdAt), so its automatic single-field index serves the query and the
 * date range, with no composite index per term. Equality filters cannot join it without one (an
 * index per term is impossible): they are checked on the candidates in memory.
 */
export function searchPlan(query: AssetSearchQuery): QueryPlan {
  const field = searchTermField(query.term);
  const filters: FilterClause[] = [];
  if (query.createdFrom) filters.push({ field, op: '>=', value: query.createdFrom });
  if (query.createdTo) filters.push({ field, op: '<=', value: query.createdTo });
  return { filters, orderBy: [{ field, direction: 'desc' }] };
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
