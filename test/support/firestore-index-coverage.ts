/**
 * Which query shapes an index file backs, by Firestore's rules as this project relies on them:
 * - a query with no order (equality and array filters only) merges single-field indexes;
 * - a query ordered on one field and filtered on nothing uses that field's single-field index;
 * - otherwise every equality-like field must sit, with its mode, in a composite index made of some
 *   of the query's equality-like fields followed by exactly the query's ordered fields (index
 *   merging: Firestore zig-zags over such indexes when they share that ordered suffix); with no
 *   equality-like field, one composite index must equal the ordered fields.
 * The emulator enforces none of this; production answers FAILED_PRECONDITION.
 */
import type { OrderClause, QueryShape } from '../../functions/adapters/firestore/asset-query-plan.js';

interface IndexField {
  fieldPath: string;
  order?: 'ASCENDING' | 'DESCENDING';
  arrayConfig?: 'CONTAINS';
}

export interface IndexFile {
  indexes: Array<{ collectionGroup: string; queryScope: string; fields: IndexField[] }>;
  fieldOverrides: Array<{ collectionGroup: string; fieldPath: string; indexes: Array<{ queryScope: string; order?: string; arrayConfig?: string }> }>;
}

function orderName(order: OrderClause): string {
  return `${order.field} ${order.direction === 'asc' ? 'ASCENDING' : 'DESCENDING'}`;
}

export function describeShape(shape: QueryShape): string {
  const equality = shape.equality.map((entry) => (entry.mode === 'contains' ? `${entry.field} CONTAINS` : `${entry.field} ==`));
  return [...equality, ...shape.order.map(orderName)].join(', ') || '(no filter, no order)';
}

/**
 * Whether the single-field index of that kind exists (on by default, fieldOverrides can drop it).
 * A map's subfields inherit the override of the nearest enclosing field (`_sys.terms.<term>`).
 */
function singleField(file: IndexFile, collection: string, field: string, kind: 'ASCENDING' | 'DESCENDING' | 'CONTAINS'): boolean {
  const overrides = file.fieldOverrides.filter(
    (entry) => entry.collectionGroup === collection && (entry.fieldPath === field || field.startsWith(`${entry.fieldPath}.`)),
  );
  const override = overrides.sort((a, b) => b.fieldPath.length - a.fieldPath.length)[0];
  if (!override) return true;
  return override.indexes.some((index) => index.queryScope === 'COLLECTION' && (kind === 'CONTAINS' ? index.arrayConfig === 'CONTAINS' : index.order === kind));
}

function composites(file: IndexFile, collection: string): IndexField[][] {
  return file.indexes.filter((index) => index.collectionGroup === collection && index.queryScope === 'COLLECTION').map((index) => index.fields);
}

function sameOrder(fields: IndexField[], order: OrderClause[]): boolean {
  return (
    fields.length === order.length && fields.every((field, index) => !field.arrayConfig && `${field.fieldPath} ${field.order}` === orderName(order[index]!))
  );
}

/** Undefined when the index file backs the shape, else why not. */
export function missingIndexFor(shape: QueryShape, file: IndexFile, collection: string): string | undefined {
  if (shape.order.length === 0) {
    const missing = shape.equality.filter((entry) => !singleField(file, collection, entry.field, entry.mode === 'contains' ? 'CONTAINS' : 'ASCENDING'));
    return missing.length === 0 ? undefined : `single-field index disabled for ${missing.map((entry) => entry.field).join(', ')}`;
  }
  if (shape.equality.length === 0 && shape.order.length === 1) {
    const only = shape.order[0]!;
    return singleField(file, collection, only.field, only.direction === 'asc' ? 'ASCENDING' : 'DESCENDING')
      ? undefined
      : `single-field index disabled for ${only.field}`;
  }
  const indexes = composites(file, collection);
  if (shape.equality.length === 0) {
    return indexes.some((fields) => sameOrder(fields, shape.order)) ? undefined : `no composite index ${describeShape(shape)}`;
  }
  const isQueryEquality = (field: IndexField): boolean =>
    shape.equality.some((entry) => entry.field === field.fieldPath && (entry.mode === 'contains') === (field.arrayConfig === 'CONTAINS'));
  const usable = indexes.filter((fields) => {
    const prefix = fields.slice(0, fields.length - shape.order.length);
    return prefix.length > 0 && prefix.every(isQueryEquality) && sameOrder(fields.slice(prefix.length), shape.order);
  });
  const uncovered = shape.equality.filter((entry) => !usable.some((fields) => fields.some((field) => field.fieldPath === entry.field)));
  if (uncovered.length === 0) return undefined;
  return `no composite index ${uncovered.map((entry) => entry.field).join(' / ')} then ${shape.order.map(orderName).join(', ')} (for ${describeShape(shape)})`;
}
