/**
 * Reads of live assets in Firestore: by id, by address, listings and the search index's matches,
 * each query built from a plan (asset-query-plan.ts) that the index test checks against
 * `infra/firestore.indexes.json`.
 */
import { FieldPath, type CollectionReference, type Firestore, type Query, type QueryDocumentSnapshot } from '@google-cloud/firestore';
import { isStorableDocumentId } from '../../domain/asset-id.js';
import { ValidationError } from '../../domain/errors.js';
import type {
  AssetListQuery,
  AssetPage,
  AssetQueries,
  MatchCount,
  MatchFilters,
  MatchPage,
  MatchQuery,
  PagePosition,
} from '../../domain/ports/asset-queries.js';
import type { StoredAsset } from '../../domain/stored-asset.js';
import { countPlan, listPlan, matchPlan, type QueryPlan } from './asset-query-plan.js';
import { storedAssetOfSnapshot, toStoredAsset } from './firestore-asset-records.js';
import { withFirestoreErrors } from './firestore-errors.js';
import { fromFirestore } from './firestore-values.js';
import { ASSET_FIELDS } from './stored-names.js';

/** The order values of a document, to continue after it: the plan's order fields, then its id. */
function positionOf(plan: QueryPlan, snapshot: QueryDocumentSnapshot): PagePosition {
  const values: PagePosition = plan.orderBy.map((order) => {
    const value: unknown = fromFirestore(snapshot.get(order.field));
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
  });
  values.push(snapshot.id);
  return values;
}

export class FirestoreAssetQueries implements AssetQueries {
  private readonly assets: CollectionReference;

  constructor(
    db: Firestore,
    collection: string,
    /** How long one query may wait for Firestore before the API answers 503. */
    private readonly deadlineMs: number,
  ) {
    this.assets = db.collection(collection);
  }

  get(id: string): Promise<StoredAsset | undefined> {
    return withFirestoreErrors(async () => {
      if (!isStorableDocumentId(id)) return undefined;
      const snapshot = await this.assets.doc(id).get();
      return snapshot.exists ? toStoredAsset(snapshot.id, snapshot.data()!) : undefined;
    }, this.deadlineMs);
  }

  findByAddress(kind: 'hfn' | 'mfa', base: string): Promise<StoredAsset | undefined> {
    return withFirestoreErrors(async () => {
      // Registry-written assets carry their base address in _sys; legacy ones only in name or
      // nna_address, where a composite's base is followed by ':' (and ';' is the next character).
      const field = kind === 'hfn' ? ASSET_FIELDS.name : ASSET_FIELDS.address;
      const candidates: Query[] = [
        this.assets.where(kind === 'hfn' ? ASSET_FIELDS.hfn : ASSET_FIELDS.mfa, '==', base),
        this.assets.where(field, '==', base),
        this.assets.where(field, '>=', `${base}:`).where(field, '<', `${base};`),
      ];
      for (const query of candidates) {
        const result = await query.limit(1).get();
        const first = result.docs[0];
        if (first) return toStoredAsset(first.id, first.data());
      }
      return undefined;
    }, this.deadlineMs);
  }

  findByStoredAddress(text: string): Promise<StoredAsset | undefined> {
    return withFirestoreErrors(async () => {
      for (const field of [ASSET_FIELDS.name, ASSET_FIELDS.address]) {
        const first = (await this.assets.where(field, '==', text).limit(1).get()).docs[0];
        if (first) return toStoredAsset(first.id, first.data());
      }
      return undefined;
    }, this.deadlineMs);
  }

  list(query: AssetListQuery): Promise<AssetPage> {
    return withFirestoreErrors(async () => {
      const plan = listPlan(query);
      // One more than the page tells whether a next page exists without a second query.
      const [count, page] = await Promise.all([this.countOf(countPlan(query)), this.pageOf(plan, query)]);
      const skipped = query.after ? 0 : Math.min(query.offset, count.count);
      return { total: count.count, ...page, documentsRead: page.documentsRead + skipped, aggregationReads: count.aggregationReads };
    }, this.deadlineMs);
  }

  readMatching(query: MatchQuery): Promise<MatchPage> {
    return withFirestoreErrors(async () => {
      const page = await this.pageOf(matchPlan(query), { offset: query.offset ?? 0, limit: query.limit, after: query.after });
      // An offset bills every skipped document; the page does not say how many there were.
      return { ...page, documentsRead: page.documentsRead + (query.after ? 0 : (query.offset ?? 0)) };
    }, this.deadlineMs);
  }

  countMatching(query: MatchFilters): Promise<MatchCount> {
    return withFirestoreErrors(() => this.countOf(matchPlan(query)), this.deadlineMs);
  }

  /** A page of a plan from a position or an offset, with one more read to tell whether more follow. */
  private async pageOf(plan: QueryPlan, at: { offset: number; limit: number; after?: PagePosition | undefined }): Promise<MatchPage> {
    // A position holds one value per order field and the document id; any other count is not one
    // this query wrote (Firestore would refuse the query itself).
    if (at.after && at.after.length !== plan.orderBy.length + 1) throw ValidationError.single('cursor', 'is not a cursor this API issued');
    const ordered = at.after ? this.queryOf(plan).startAfter(...at.after) : this.queryOf(plan).offset(at.offset);
    const page = await ordered.limit(at.limit + 1).get();
    const documents = page.docs.slice(0, at.limit);
    const last = documents[documents.length - 1];
    return {
      items: documents.map(storedAssetOfSnapshot),
      ...(page.docs.length > at.limit && last ? { next: positionOf(plan, last) } : {}),
      // An empty answer is billed one read.
      documentsRead: Math.max(page.docs.length, 1),
    };
  }

  private async countOf(plan: QueryPlan): Promise<MatchCount> {
    const count = (await this.queryOf(plan).count().get()).data().count;
    // A count bills one read per 1,000 index entries, at least one.
    return { count, aggregationReads: Math.max(1, Math.ceil(count / 1000)) };
  }

  /**
   * The Firestore query of a plan; the document id breaks ties in the last order's direction. Field
   * names are split into FieldPaths: a search term (`lov*`) is not a valid dotted path segment.
   */
  private queryOf(plan: QueryPlan): Query {
    let query: Query = this.assets;
    const path = (field: string) => new FieldPath(...field.split('.'));
    for (const clause of plan.filters) query = query.where(path(clause.field), clause.op, clause.value);
    for (const order of plan.orderBy) query = query.orderBy(path(order.field), order.direction);
    const last = plan.orderBy[plan.orderBy.length - 1];
    return last ? query.orderBy(FieldPath.documentId(), last.direction) : query;
  }
}
