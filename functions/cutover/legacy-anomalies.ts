/**
 * What the importer finds odd in one legacy document, field by field (the kinds are described in
 * anomalies.ts): its address against its name and taxonomy path, JSON strings, field types, dates
 * and album-art URLs, and its components. legacy-asset.ts reads a document with these.
 */
import { ValidationError } from '../domain/errors.js';
import { hfnOf, MAX_SEQUENCE, parseAddress, type AddressParts } from '../domain/naming.js';
import type { Taxonomy } from '../domain/taxonomy/taxonomy.js';
import type { Anomaly } from './anomalies.js';
import { isRecord, isStringArray, type LegacyDocument } from './json-shapes.js';

function isIsoDate(value: unknown): boolean {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

/** The base of an address in any spelling, or undefined when it is not one of the taxonomy. */
export function baseOf(taxonomy: Taxonomy, text: string): { kind: 'hfn' | 'mfa'; base: AddressParts } | undefined {
  try {
    const parsed = parseAddress(taxonomy, text.split(':')[0]!);
    return { kind: parsed.kind, base: parsed.base };
  } catch (error) {
    if (error instanceof ValidationError) return undefined;
    throw error;
  }
}

function samePlace(a: AddressParts, b: AddressParts): boolean {
  return (
    a.path.layer.code === b.path.layer.code &&
    a.path.category.code === b.path.category.code &&
    a.path.subcategory.code === b.path.subcategory.code &&
    a.sequence === b.sequence
  );
}

export function addressAnomalies(taxonomy: Taxonomy, fields: LegacyDocument, name: string, base: AddressParts | undefined): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const address = fields['nna_address'];
  const parsedAddress = typeof address === 'string' ? baseOf(taxonomy, address) : undefined;
  if (!parsedAddress || parsedAddress.kind !== 'mfa') {
    anomalies.push({ kind: 'broken-address', detail: `nna_address ${JSON.stringify(address ?? null)} is not an MFA of the taxonomy` });
  } else if (base && !samePlace(parsedAddress.base, base)) {
    anomalies.push({ kind: 'broken-address', detail: `nna_address ${String(address)} is not the address of ${hfnOf(base)}` });
  }
  if (!base) return anomalies;
  if (base.sequence < 1 || base.sequence > MAX_SEQUENCE)
    anomalies.push({ kind: 'sequence-out-of-range', detail: `${name.split(':')[0]} has sequence ${base.sequence}` });
  const { layer, category, subcategory } = fields;
  let matches = false;
  if (typeof layer === 'string' && typeof category === 'string' && typeof subcategory === 'string') {
    try {
      const path = taxonomy.resolve({ layer, category, subcategory });
      matches = path.layer === base.path.layer && path.category === base.path.category && path.subcategory === base.path.subcategory;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
    }
  }
  if (!matches) {
    anomalies.push({
      kind: 'taxonomy-mismatch',
      detail: `${String(layer)} / ${String(category)} / ${String(subcategory)} is not the path of ${hfnOf(base)} (${base.path.category.name} / ${base.path.subcategory.name})`,
    });
  }
  return anomalies;
}

export function jsonStringAnomalies(fields: LegacyDocument): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const field of ['trainingData', 'rights']) {
    const value = fields[field];
    if (typeof value !== 'string') continue;
    try {
      JSON.parse(value);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      anomalies.push({ kind: 'unparseable-json', detail: `${field} ${JSON.stringify(value.slice(0, 80))} is not JSON` });
    }
  }
  return anomalies;
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch (error) {
    if (error instanceof TypeError) return false;
    throw error;
  }
}

/** Album art the clients would show as an image or a link: a URL that is not https is never served (asset-view). */
export function urlAnomalies(fields: LegacyDocument): Anomaly[] {
  const albumArt = fields['albumArt'];
  const urls = typeof albumArt === 'string' ? [albumArt] : isRecord(albumArt) ? [albumArt['url'], albumArt['sourceUrl']] : [];
  return urls
    .filter((url): url is string => typeof url === 'string' && url.trim() !== '' && !isHttpsUrl(url))
    .map((url) => ({ kind: 'unsafe-url', detail: `albumArt ${JSON.stringify(url.slice(0, 80))} is not an https URL` }));
}

export function fieldTypeAnomalies(fields: LegacyDocument, now: number): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const field of ['tags', 'components']) {
    if (field in fields && !isStringArray(fields[field])) anomalies.push({ kind: 'unexpected-field', detail: `${field} is not an array of strings` });
  }
  for (const field of ['createdAt', 'updatedAt']) {
    // Listings order on createdAt: an asset without a date string is not listed (it is still found by id and address).
    if (!isIsoDate(fields[field]))
      anomalies.push({ kind: 'unexpected-field', detail: `${field} ${JSON.stringify(fields[field] ?? null)} is not a date string` });
    else if (Date.parse(fields[field] as string) > now)
      anomalies.push({ kind: 'future-date', detail: `${field} ${String(fields[field])} is later than the import` });
  }
  return anomalies;
}

/** The components' base HFNs, and an anomaly for each component that is not an address (`""` is the old "none"). */
export function componentsOf(taxonomy: Taxonomy, fields: LegacyDocument): { hfns: string[]; anomalies: Anomaly[] } {
  const components = fields['components'];
  const hfns: string[] = [];
  const anomalies: Anomaly[] = [];
  if (!Array.isArray(components)) return { hfns, anomalies };
  for (const component of components) {
    if (component === '') continue;
    const parsed = typeof component === 'string' ? baseOf(taxonomy, component) : undefined;
    if (parsed) hfns.push(hfnOf(parsed.base));
    else anomalies.push({ kind: 'dangling-component', detail: `component ${JSON.stringify(component)} is not an address of the taxonomy` });
  }
  return { hfns, anomalies };
}
