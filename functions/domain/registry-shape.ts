/**
 * One shape for every asset: the fields the old backend served keep the old backend's form, whoever
 * wrote the asset (the importer or this API), so no client can tell where an asset came from. The
 * registry's canonical forms are served beside them under their own names (docs/api.md, "One shape").
 *
 * | field | what the registry writes (imported assets keep their source's value, in the same form) |
 * |---|---|
 * | `name` | the HFN; a composite's base HFN and its components' letter-form MFAs joined by `:` |
 * | `nna_address` | the letter-form MFA of the asset itself (`S.001.002.031`; composites: their base) |
 * | `components` | composites: their components' letter-form MFAs; other assets `[]` |
 * | `trainingData`, `rights` | JSON-encoded object strings |
 * | `registeredBy` | the creator's email |
 * | `__v` | `0`, the old backend's document version |
 */
import { isLetterFormMfa, joinComposite, letterFormOf } from './naming.js';
import { registryFieldsOf, type StoredAssetDocument } from './stored-asset.js';

/** Fields the old backend served as JSON-encoded object strings. */
const JSON_TEXT_FIELDS = ['trainingData', 'rights'] as const;
/** The canonical (object) form of each JSON-text field, served beside it. */
const OBJECT_FORM_FIELD: Record<string, string> = { trainingData: 'trainingDataInfo', rights: 'rightsInfo' };

/**
 * A composite's components as base HFNs. `_sys.components` holds them whenever `components` spells
 * them as letter-form MFAs; before that shape, `components` held the HFNs; `[""]` means none.
 */
export function componentHfnsOf(document: StoredAssetDocument): string[] {
  return registryFieldsOf(document)?.components ?? (document.components ?? []).filter((component) => component !== '');
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The parsed object of a JSON-text field, or undefined when the text is not a JSON object. */
function objectOfJsonText(value: unknown): Record<string, unknown> | undefined {
  if (isJsonObject(value)) return value;
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/**
 * A written asset's composite fields in the registry's shape. Its components' numeric MFAs come from
 * the asset's own composite `nna_address` (`base:c1+c2`) when it still has that earlier spelling;
 * letter-form `components` are already in shape.
 */
function compositeFieldsOf(document: StoredAssetDocument, baseHfn: string): { name: string; components: string[]; componentHfns: string[] } | undefined {
  const componentHfns = componentHfnsOf(document);
  const stored = document.components ?? [];
  const alreadyLetterForm = stored.length === componentHfns.length && stored.every(isLetterFormMfa);
  let letterMfas: string[];
  if (alreadyLetterForm) {
    letterMfas = stored;
  } else {
    const suffix = document.nna_address.includes(':') ? document.nna_address.slice(document.nna_address.indexOf(':') + 1) : '';
    const componentMfas = suffix === '' ? [] : suffix.split('+');
    if (componentMfas.length !== componentHfns.length) return undefined;
    letterMfas = componentHfns.map((hfn, index) => letterFormOf(hfn.charAt(0), componentMfas[index]!));
  }
  return { name: [baseHfn, ...letterMfas].join(':'), components: letterMfas, componentHfns };
}

/**
 * Whether the registry answers for the document's shape: it wrote the document (the API, with its
 * addressing in `_sys`) or imported it. Documents of the seed's era carry neither and are served
 * exactly as they are stored, as their clients always read them.
 */
function inShapeScope(document: StoredAssetDocument): boolean {
  const system = document._sys;
  return registryFieldsOf(document) !== undefined || (system !== undefined && system.imported !== undefined);
}

/**
 * The document in the registry's one shape. Pure and idempotent; used by every write of the API and
 * by the migration that brings earlier documents into shape. Imported assets keep their source
 * fields verbatim: only a field this backend writes (an updated `trainingData`) is put in shape.
 */
export function inRegistryShape(document: StoredAssetDocument): StoredAssetDocument {
  if (!inShapeScope(document)) return document;
  const next: StoredAssetDocument & Record<string, unknown> = { ...document };
  for (const field of JSON_TEXT_FIELDS) {
    const value = next[field];
    if (isJsonObject(value)) next[field] = JSON.stringify(value);
  }
  const registry = registryFieldsOf(document);
  if (!registry || registry.imported) return next;
  if (next['registeredBy'] === undefined && typeof next.createdBy === 'string') next['registeredBy'] = next.createdBy;
  if (next['__v'] === undefined) next['__v'] = 0;
  const layerCode = registry.hfn.charAt(0);
  if (layerCode === 'C') {
    const composite = compositeFieldsOf(next, registry.hfn);
    if (composite) {
      next.name = composite.name;
      next.components = composite.components;
      next._sys = { ...registry, components: composite.componentHfns };
    }
  } else if (next.components === undefined) {
    next.components = [];
  }
  next.nna_address = letterFormOf(layerCode, registry.mfa);
  return next;
}

/** Whether a document is in the registry's one shape (what the migration selects and verifies). */
export function shapeIssuesOf(document: StoredAssetDocument): string[] {
  const shaped = inRegistryShape(document);
  const record = document as Record<string, unknown>;
  const issues: string[] = [];
  for (const field of ['name', 'nna_address', 'components', 'registeredBy', '__v', ...JSON_TEXT_FIELDS]) {
    if (JSON.stringify(record[field]) !== JSON.stringify((shaped as Record<string, unknown>)[field])) {
      issues.push(
        `${field}: ${JSON.stringify(record[field] ?? null)} is not in the registry's shape (${JSON.stringify((shaped as Record<string, unknown>)[field] ?? null)})`,
      );
    }
  }
  const registry = registryFieldsOf(document);
  const shapedRegistry = registryFieldsOf(shaped);
  if (JSON.stringify(registry?.components) !== JSON.stringify(shapedRegistry?.components)) issues.push('_sys.components: not the components’ HFNs');
  return issues;
}

/**
 * The canonical forms served right after an old-form field, each under its own name (never over a
 * field the document holds itself): after `nna_address` the HFN (`hfn`, composites with their
 * components' HFNs joined by `+`) and the numeric MFA (`mfa`); after `trainingData` and `rights`
 * their objects; after `registeredBy` the same email as `createdBy`, when the document has none.
 */
export function canonicalFieldsAfter(field: string, document: StoredAssetDocument): Array<[string, unknown]> {
  if (!inShapeScope(document)) return [];
  const record = document as Record<string, unknown>;
  const fields: Array<[string, unknown]> = [];
  const add = (name: string, value: unknown): void => {
    if (value !== undefined && !(name in record)) fields.push([name, value]);
  };
  if (field === 'nna_address') {
    const registry = registryFieldsOf(document);
    if (registry) {
      add('hfn', joinComposite(registry.hfn, componentHfnsOf(document)));
      add('mfa', registry.mfa);
    }
  } else if (field in OBJECT_FORM_FIELD) {
    add(OBJECT_FORM_FIELD[field]!, objectOfJsonText(record[field]));
  } else if (field === 'registeredBy' && typeof record['registeredBy'] === 'string') {
    add('createdBy', record['registeredBy']);
  }
  return fields;
}
