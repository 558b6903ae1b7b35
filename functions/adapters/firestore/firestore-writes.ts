/** Small Firestore helpers of the long runs (migrations, the importer): paging by document id, retries, precondition failures, updates. */
import { FieldPath, FieldValue, type CollectionReference, type DocumentData, type QueryDocumentSnapshot, type QuerySnapshot } from '@google-cloud/firestore';
import { isTransientFirestoreError } from './firestore-errors.js';
import { hasGrpcStatus } from './grpc-status.js';
import { sameValue } from './firestore-values.js';

type RawDocument = DocumentData;

const ATTEMPTS = 6;

/** FAILED_PRECONDITION (the document changed since it was read) or NOT_FOUND (it was deleted). */
export function isPreconditionFailure(error: unknown): boolean {
  return hasGrpcStatus(error, ['FAILED_PRECONDITION', 'NOT_FOUND']);
}

/** Retries transient failures (unavailable, deadline, contention) with exponential backoff. */
export async function withRetries<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransientFirestoreError(error) || attempt >= ATTEMPTS) throw error;
      await sleep(100 * 2 ** attempt);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The next `size` documents after `cursor` in document-id order: memory stays one page per batch. */
export function readPage(collection: CollectionReference, cursor: string | null, size: number): Promise<QuerySnapshot> {
  let query = collection.orderBy(FieldPath.documentId()).limit(size);
  if (cursor !== null) query = query.startAfter(cursor);
  return withRetries(() => query.get());
}

/**
 * The documents after `cursor` in document-id order, `size` at a time, from one streamed query:
 * the stream is paused while the caller works (backpressure), so memory stays a few pages whatever
 * the collection's size, and there is no per-page query to pay.
 */
export async function* streamPages(
  collection: CollectionReference,
  cursor: string | null,
  size: number,
  limit: number | undefined,
): AsyncIterable<QueryDocumentSnapshot[]> {
  let query = collection.orderBy(FieldPath.documentId());
  if (cursor !== null) query = query.startAfter(cursor);
  if (limit !== undefined) query = query.limit(limit);
  let page: QueryDocumentSnapshot[] = [];
  for await (const snapshot of query.stream()) {
    page.push(snapshot as unknown as QueryDocumentSnapshot);
    if (page.length === size) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

/**
 * `update` arguments turning `before` into `after` at the top level: changed fields are replaced
 * whole, fields absent from `after` are deleted. Field names are FieldPaths, so keys holding dots or
 * other special characters (`__v`) are taken literally. Empty when nothing changes.
 */
export function updateArguments(before: RawDocument, after: RawDocument, changed = changedFields(before, after)): unknown[] {
  return changed.flatMap((key) => [new FieldPath(key), key in after ? after[key] : FieldValue.delete()]);
}

/** The top-level fields that differ between `before` and `after` (added, changed or removed), sorted. */
function changedFields(before: RawDocument, after: RawDocument): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((key) => !(key in after) || !(key in before) || !sameValue(before[key], after[key]))
    .sort();
}
