/** AssetQueries over the in-memory assets: listings and searches interpret the query plans the Firestore adapter builds its queries from. */
import { countPlan, listPlan, matchPlan, type QueryPlan } from '../../../functions/adapters/firestore/asset-query-plan.js';
import { isStorableDocumentId } from '../../../functions/domain/asset-id.js';
import type {
  AssetListQuery,
  AssetPage,
  AssetQueries,
  MatchCount,
  MatchFilters,
  MatchPage,
  MatchQuery,
  PagePosition,
} from '../../../functions/domain/ports/asset-queries.js';
import type { StoredAsset } from '../../../functions/domain/stored-asset.js';
import { compareStrings, compareValues, fieldOf } from './document-order.js';
import { matches, toStoredAsset, type AssetState, type Data } from './in-memory-asset-state.js';

/** A document in a plan's order: its order values, then its id (in the last order's direction). */
interface Positioned {
  id: string;
  data: Data;
  values: unknown[];
}

/** Runs a plan: filters, then (as Firestore) only documents that have every order field, in order. */
function runPlan(assets: Map<string, Data>, plan: QueryPlan): Positioned[] {
  const found: Positioned[] = [];
  for (const [id, data] of assets) {
    if (!plan.filters.every((clause) => matches(data, clause))) continue;
    const values = plan.orderBy.map((order) => fieldOf(data, order.field));
    if (values.some((value) => value === undefined)) continue;
    found.push({ id, data, values });
  }
  return found.sort((a, b) => comparePositions(plan, [...a.values, a.id], [...b.values, b.id]));
}

function comparePositions(plan: QueryPlan, a: readonly unknown[], b: readonly unknown[]): number {
  const directions = plan.orderBy.map((order) => order.direction);
  directions.push(directions[directions.length - 1] ?? 'asc');
  for (const [index, direction] of directions.entries()) {
    const difference = index === directions.length - 1 ? compareStrings(String(a[index]), String(b[index])) : compareValues(a[index], b[index]);
    if (difference !== 0) return direction === 'asc' ? difference : -difference;
  }
  return 0;
}

function positionOf(entry: Positioned): PagePosition {
  const values: PagePosition = entry.values.map((value) =>
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null,
  );
  values.push(entry.id);
  return values;
}

export class InMemoryAssetQueries implements AssetQueries {
  constructor(private readonly store: AssetState) {}

  private get assets(): Map<string, Data> {
    return this.store.current.assets;
  }

  private firstWhere(predicate: (data: Data) => boolean, from: Map<string, Data> = this.assets): StoredAsset | undefined {
    const ids = [...from.keys()].filter((id) => predicate(from.get(id)!)).sort(compareStrings);
    const first = ids[0];
    return first === undefined ? undefined : toStoredAsset(first, from.get(first)!);
  }

  get(id: string): Promise<StoredAsset | undefined> {
    const data = isStorableDocumentId(id) ? this.assets.get(id) : undefined;
    return Promise.resolve(data ? toStoredAsset(id, data) : undefined);
  }

  findByAddress(kind: 'hfn' | 'mfa', base: string): Promise<StoredAsset | undefined> {
    const field = kind === 'hfn' ? 'name' : 'nna_address';
    const textOf = (data: Data): unknown => data[field];
    const candidates: Array<(data: Data) => boolean> = [
      (data) => fieldOf(data, kind === 'hfn' ? '_sys.hfn' : '_sys.mfa') === base,
      (data) => textOf(data) === base,
      (data) => {
        const text = textOf(data);
        return typeof text === 'string' && compareStrings(text, `${base}:`) >= 0 && compareStrings(text, `${base};`) < 0;
      },
    ];
    for (const predicate of candidates) {
      const found = this.firstWhere(predicate);
      if (found) return Promise.resolve(found);
    }
    return Promise.resolve(undefined);
  }

  findByStoredAddress(text: string): Promise<StoredAsset | undefined> {
    for (const field of ['name', 'nna_address']) {
      const found = this.firstWhere((data) => data[field] === text);
      if (found) return Promise.resolve(found);
    }
    return Promise.resolve(undefined);
  }

  list(query: AssetListQuery): Promise<AssetPage> {
    const total = runPlan(this.assets, countPlan(query)).length;
    const page = pageOf(this.assets, listPlan(query), query);
    const skipped = query.after ? 0 : Math.min(query.offset, total);
    return Promise.resolve({ total, ...page, documentsRead: page.documentsRead + skipped, aggregationReads: aggregationReadsOf(total) });
  }

  readMatching(query: MatchQuery): Promise<MatchPage> {
    const page = pageOf(this.assets, matchPlan(query), { offset: query.offset ?? 0, limit: query.limit, after: query.after });
    return Promise.resolve({ ...page, documentsRead: page.documentsRead + (query.after ? 0 : (query.offset ?? 0)) });
  }

  countMatching(query: MatchFilters): Promise<MatchCount> {
    const count = runPlan(this.assets, matchPlan(query)).length;
    return Promise.resolve({ count, aggregationReads: aggregationReadsOf(count) });
  }
}

/** A count bills one read per 1,000 index entries, at least one. */
function aggregationReadsOf(count: number): number {
  return Math.max(1, Math.ceil(count / 1000));
}

/** A page of a plan from a position or an offset, with one more read to tell whether more follow. */
function pageOf(assets: Map<string, Data>, plan: QueryPlan, at: { offset: number; limit: number; after?: PagePosition | undefined }): MatchPage {
  const ordered = runPlan(assets, plan);
  let start: number;
  if (at.after) {
    const after = at.after;
    const index = ordered.findIndex((entry) => comparePositions(plan, [...entry.values, entry.id], after) > 0);
    start = index < 0 ? ordered.length : index;
  } else {
    start = Math.min(at.offset, ordered.length);
  }
  const fetched = ordered.slice(start, start + at.limit + 1);
  const page = fetched.slice(0, at.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((entry) => toStoredAsset(entry.id, entry.data)),
    ...(fetched.length > at.limit && last ? { next: positionOf(last) } : {}),
    documentsRead: Math.max(fetched.length, 1),
  };
}
