/**
 * The pure transform from an asset of the old backend (decoded to plain JSON values) to the document
 * this registry stores, and what is odd about it. Every source field but `_id` is kept verbatim
 * (letter-form addresses, display names, JSON strings, `components: [""]`, unknown fields); what the
 * registry adds goes beside them: `categoryCode`/`subcategoryCode` when the HFN resolves in the
 * taxonomy, and `_sys` (never served) with the addressing, search terms and import provenance.
 */
import { createHash } from 'node:crypto';
import { isStorableDocumentId } from '../domain/asset-id.js';
import { sequenceKeyOf } from '../domain/asset-builder.js';
import { ValidationError } from '../domain/errors.js';
import { jsonProblemOf } from '../domain/json-inspection.js';
import { hfnOf, mfaOf } from '../domain/naming.js';
import type { AssetDocument } from '../domain/schemas/asset.js';
import { searchIndexOf, systemWithSearchIndex } from '../domain/search/search-terms.js';
import { SYSTEM_FIELD, type ImportProvenance } from '../domain/stored-asset.js';
import type { Taxonomy } from '../domain/taxonomy/taxonomy.js';
import type { Anomaly } from './anomalies.js';
import { isRecord, isStringArray, type LegacyDocument } from './json-shapes.js';
import { addressAnomalies, baseOf, componentsOf, fieldTypeAnomalies, jsonStringAnomalies, urlAnomalies } from './legacy-anomalies.js';

export type { LegacyDocument };

/** What the registry derives from an asset whose HFN resolves in the taxonomy. */
interface RegistryAddress {
  categoryCode: string;
  subcategoryCode: string;
  sequence: number;
  sequenceKey: string;
  hfn: string;
  mfa: string;
}

/** A legacy asset read and understood. */
export interface PreparedAsset {
  id: string;
  /** Every source field but `_id`, verbatim. */
  fields: LegacyDocument;
  /** The name's base (before any `:`), upper-cased: what a name conflict compares. */
  nameKey: string;
  address: RegistryAddress | undefined;
  /** Base HFNs of the components that are addresses of the taxonomy (for `_sys.components` and the dangling check). */
  componentHfns: string[];
  anomalies: Anomaly[];
  sourceHash: string;
  /** The source's `updatedAt` when it is a string (the high-water mark, `--since`). */
  updatedAt: string | undefined;
}

/** Fields the importer owns beside the source's: recomputed on every import, never kept from before. */
const IMPORTER_FIELDS = new Set(['categoryCode', 'subcategoryCode', SYSTEM_FIELD]);
/** `_sys` keys the importer owns; any other key (the API's bookkeeping) is kept. */
const OWNED_SYSTEM_KEYS = new Set(['sequence', 'sequenceKey', 'hfn', 'mfa', 'components', 'terms', 'searchTerms', 'imported']);
/** Paths under /api/assets/ that are routes of the API, not ids: an asset of such an id is not read at /api/assets/<id>. */
const ROUTE_SEGMENTS = new Set(['search', 'deleted', 'upload', 'nna']);
/** Firestore stores maps and arrays nested 20 deep at most. */
const MAX_STORED_DEPTH = 20;
/** Firestore refuses documents over 1 MiB; the encoded JSON is a close enough measure to refuse them here, one by one. */
const MAX_DOCUMENT_BYTES = 1_000_000;

function storageProblem(value: unknown, path: string, inArray: boolean): string | undefined {
  if (Array.isArray(value)) {
    if (inArray) return `${path}: an array inside an array cannot be stored`;
    for (const [index, entry] of value.entries()) {
      const problem = storageProblem(entry, `${path}[${index}]`, true);
      if (problem) return problem;
    }
  } else if (isRecord(value)) {
    for (const [key, entry] of Object.entries(value)) {
      if (key === '' || /^__.*__$/.test(key)) return `${path ? `${path}.` : ''}${key || '(empty)'}: a field name Firestore reserves or refuses`;
      const problem = storageProblem(entry, path ? `${path}.${key}` : key, false);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** The JSON of a value with every object's keys sorted: equal values, equal text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, entry: unknown) =>
    isRecord(entry) ? Object.fromEntries(Object.entries(entry).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : entry,
  );
}

/** A hash of an asset's source fields, to tell later which side changed. */
export function hashOfFields(fields: LegacyDocument): string {
  return createHash('sha256').update(canonicalJson(fields)).digest('base64url').slice(0, 32);
}

function requiredText(document: LegacyDocument, field: string): string {
  const value = document[field];
  if (typeof value !== 'string' || value.trim() === '') throw ValidationError.single(field, value === undefined ? 'missing' : 'must be a non-empty string');
  return value;
}

/**
 * Reads one decoded legacy document. Throws a ValidationError (bad input: the document is not
 * imported, the rest of the run goes on) when it has no usable `_id`, `name` or `layer`, holds a
 * reserved field or cannot be stored; anything else odd is an anomaly, imported as it is.
 */
export function prepareLegacyAsset(taxonomy: Taxonomy, document: LegacyDocument, now = Date.now()): PreparedAsset {
  const id = document['_id'];
  if (typeof id !== 'string' || !isStorableDocumentId(id)) {
    throw ValidationError.single('_id', id === undefined ? 'missing' : `${JSON.stringify(id)} cannot be a document id`);
  }
  const fields: LegacyDocument = { ...document };
  delete fields['_id'];
  const name = requiredText(fields, 'name');
  requiredText(fields, 'layer');
  if (SYSTEM_FIELD in fields) throw ValidationError.single(SYSTEM_FIELD, 'is the registry’s own field; the source may not hold it');
  const problem = storageProblem(fields, '', false);
  if (problem) throw ValidationError.single(problem.split(':')[0]!, problem.slice(problem.indexOf(':') + 2));
  // Text that is not well-formed Unicode, or nesting deeper than Firestore stores, would be refused with its whole commit.
  const textProblem = jsonProblemOf(fields, { maxDepth: MAX_STORED_DEPTH });
  if (textProblem) throw ValidationError.single(textProblem.path, textProblem.issue);
  if (Buffer.byteLength(JSON.stringify(fields)) > MAX_DOCUMENT_BYTES) throw ValidationError.single('(document)', `is larger than ${MAX_DOCUMENT_BYTES} bytes`);

  const nameKey = nameKeyOf({ name });
  const parsedName = baseOf(taxonomy, name);
  const base = parsedName?.kind === 'hfn' ? parsedName.base : undefined;
  const anomalies: Anomaly[] = [];
  if (!base) anomalies.push({ kind: 'unknown-taxonomy', detail: `${name.split(':')[0]} is not an HFN of the taxonomy` });
  const written = name.split(':')[0]!.trim().toUpperCase();
  if (written !== nameKey) anomalies.push({ kind: 'non-canonical-sequence', detail: `${name.split(':')[0]} is ${nameKey} in its canonical form` });
  if (ROUTE_SEGMENTS.has(id.toLowerCase())) anomalies.push({ kind: 'route-like-id', detail: `/api/assets/${id} is a route of the API` });
  anomalies.push(
    ...addressAnomalies(taxonomy, fields, name, base),
    ...jsonStringAnomalies(fields),
    ...fieldTypeAnomalies(fields, now),
    ...urlAnomalies(fields),
  );
  const components = componentsOf(taxonomy, fields);
  anomalies.push(...components.anomalies);
  const address: RegistryAddress | undefined = base && {
    categoryCode: base.path.category.code,
    subcategoryCode: base.path.subcategory.code,
    sequence: base.sequence,
    sequenceKey: sequenceKeyOf(base.path),
    hfn: hfnOf(base),
    mfa: mfaOf(base),
  };
  const updatedAt = fields['updatedAt'];
  return {
    id,
    fields,
    nameKey,
    address,
    componentHfns: components.hfns,
    anomalies,
    sourceHash: hashOfFields(fields),
    updatedAt: typeof updatedAt === 'string' ? updatedAt : undefined,
  };
}

/** The provenance of an imported document, or undefined for one this backend wrote itself. */
export function provenanceOf(document: LegacyDocument | undefined): ImportProvenance | undefined {
  const system = document?.[SYSTEM_FIELD];
  const imported = isRecord(system) ? system['imported'] : undefined;
  return isRecord(imported) ? (imported as unknown as ImportProvenance) : undefined;
}

/**
 * The document to store for a prepared asset, given what the target holds under its id now: the
 * source's fields, the registry's beside them, and what was added here since an earlier import (a
 * migration's `creatorDescription`, the API's own `_sys` bookkeeping) kept. Search terms are
 * computed on the whole document, as every writer of the registry computes them.
 */
export function storedDocumentOf(
  prepared: PreparedAsset,
  existing: LegacyDocument | undefined,
  provenance: { source: string; importedAt: string },
): LegacyDocument {
  const previousSourceFields = new Set(provenanceOf(existing)?.sourceFields ?? []);
  const document: LegacyDocument = {};
  for (const [field, value] of Object.entries(existing ?? {})) {
    if (!(field in prepared.fields) && !previousSourceFields.has(field) && !IMPORTER_FIELDS.has(field)) document[field] = value;
  }
  Object.assign(document, prepared.fields);
  const { address } = prepared;
  if (address && !('categoryCode' in prepared.fields)) document['categoryCode'] = address.categoryCode;
  if (address && !('subcategoryCode' in prepared.fields)) document['subcategoryCode'] = address.subcategoryCode;

  const previousSystem = existing?.[SYSTEM_FIELD];
  const system: Record<string, unknown> = {};
  if (isRecord(previousSystem)) for (const [key, value] of Object.entries(previousSystem)) if (!OWNED_SYSTEM_KEYS.has(key)) system[key] = value;
  if (address) Object.assign(system, { sequence: address.sequence, sequenceKey: address.sequenceKey, hfn: address.hfn, mfa: address.mfa });
  if (address && prepared.componentHfns.length > 0) system['components'] = prepared.componentHfns;
  const imported: Required<ImportProvenance> = {
    source: provenance.source,
    importedAt: provenance.importedAt,
    sourceUpdatedAt: prepared.updatedAt ?? '',
    sourceHash: prepared.sourceHash,
    sourceFields: Object.keys(prepared.fields).sort(),
  };
  system['imported'] = imported;
  // The search index is computed from what search reads; a `tags` of another type (an anomaly) is left out of them.
  const searchable = (isStringArray(document['tags']) || document['tags'] === undefined
    ? document
    : { ...document, tags: undefined }) as unknown as AssetDocument;
  document[SYSTEM_FIELD] = systemWithSearchIndex(system, searchIndexOf(searchable));
  return document;
}

/**
 * A stored document without what changes on every import even when nothing else does (when and
 * from which spelling of the source it was imported): two runs over the same data compare equal.
 */
export function comparableForm(document: LegacyDocument): LegacyDocument {
  const system = document[SYSTEM_FIELD];
  const imported = isRecord(system) ? system['imported'] : undefined;
  if (!isRecord(system) || !isRecord(imported)) return document;
  const stable: Record<string, unknown> = { ...imported };
  delete stable['importedAt'];
  delete stable['source'];
  return { ...document, [SYSTEM_FIELD]: { ...system, imported: stable } };
}

/**
 * A name's base (before any `:`) in its canonical form, upper-cased and its sequence written in
 * three digits or more without leading zeros (`S.POP.BAS.0001` is `S.POP.BAS.001`): two names with
 * one canonical form are one name, as the API's address lookups read them.
 */
export function canonicalNameOf(name: string): string {
  const base = name.split(':')[0]!.trim().toUpperCase();
  const sequence = /^(.+\.)(\d+)$/.exec(base);
  return sequence ? `${sequence[1]}${sequence[2]!.replace(/^0+(?=\d)/, '').padStart(3, '0')}` : base;
}

/** The base name a stored document holds (its `_sys.hfn`, else its name), canonical: the key of name conflicts. */
export function nameKeyOf(document: { name?: unknown; hfn?: unknown }): string {
  if (typeof document.hfn === 'string') return canonicalNameOf(document.hfn);
  return typeof document.name === 'string' ? canonicalNameOf(document.name) : '';
}
