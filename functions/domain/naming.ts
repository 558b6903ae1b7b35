/**
 * Human-friendly names (HFN, `S.POP.BAS.001`) and machine-friendly addresses (MFA, `2.001.001.001`),
 * including composites (`C.RMX.POP.005:S.FAN.BAS.001+L.VIN.BAS.001`).
 */
import { ValidationError } from './errors.js';
import type { Taxonomy, TaxonomyPath } from './taxonomy/taxonomy.js';

export interface AddressParts {
  readonly path: TaxonomyPath;
  readonly sequence: number;
}

/** A parsed address: the asset's own part and, for composites, its components. */
export interface ParsedAddress {
  readonly kind: 'hfn' | 'mfa';
  readonly base: AddressParts;
  readonly components: readonly AddressParts[];
}

const HFN_PART = /^([A-Z])\.([A-Z0-9]{1,3})\.([A-Z0-9]{1,3})\.(\d{3,})$/;
const MFA_PART = /^(\d{1,2})\.(\d{3})\.(\d{3})\.(\d{3,})$/;

export function formatSequence(sequence: number): string {
  return String(sequence).padStart(3, '0');
}

function pad3(value: number): string {
  return String(value).padStart(3, '0');
}

export function hfnOf({ path, sequence }: AddressParts): string {
  return `${path.layer.code}.${path.category.code}.${path.subcategory.code}.${formatSequence(sequence)}`;
}

export function mfaOf({ path, sequence }: AddressParts): string {
  return `${path.layer.number}.${pad3(path.category.number)}.${pad3(path.subcategory.number)}.${formatSequence(sequence)}`;
}

/** Joins a base and its components the way the contract spells composites: `base:c1+c2`, no brackets. */
export function joinComposite(base: string, components: readonly string[]): string {
  return components.length === 0 ? base : `${base}:${components.join('+')}`;
}

export function looksLikeMfa(value: string): boolean {
  return /^\d/.test(value.trim());
}

function parsePart(taxonomy: Taxonomy, text: string, kind: 'hfn' | 'mfa'): AddressParts | undefined {
  if (kind === 'hfn') {
    const match = HFN_PART.exec(text);
    if (!match) return undefined;
    const path = taxonomy.resolveCodes(match[1]!, match[2]!, match[3]!);
    return path ? { path, sequence: Number(match[4]) } : undefined;
  }
  const match = MFA_PART.exec(text);
  if (!match) return undefined;
  const path = taxonomy.resolveNumbers(Number(match[1]), Number(match[2]), Number(match[3]));
  return path ? { path, sequence: Number(match[4]) } : undefined;
}

/**
 * Parses an HFN or MFA, composite or not. HFNs are case-insensitive on input. Throws a
 * ValidationError naming `fieldPath` when the text is not an address of the taxonomy.
 */
export function parseAddress(taxonomy: Taxonomy, raw: string, fieldPath = 'address'): ParsedAddress {
  const text = raw.trim();
  const kind = looksLikeMfa(text) ? 'mfa' : 'hfn';
  const normalized = kind === 'hfn' ? text.toUpperCase() : text;
  const [basePart = '', componentList] = normalized.split(':', 2);
  const base = parsePart(taxonomy, basePart, kind);
  if (!base) {
    throw ValidationError.single(fieldPath, `${raw} is not a valid ${kind === 'hfn' ? 'HFN (like S.POP.BAS.001)' : 'MFA (like 2.001.001.001)'}`);
  }
  const components: AddressParts[] = [];
  if (componentList !== undefined) {
    for (const piece of componentList.split('+')) {
      const component = parsePart(taxonomy, piece, kind);
      if (!component) {
        throw ValidationError.single(fieldPath, `${piece || '(empty)'} in ${raw} is not a valid component address`);
      }
      components.push(component);
    }
  }
  return { kind, base, components };
}

/** The HFN of a parsed address (composites included). */
export function toHfn(address: ParsedAddress): string {
  return joinComposite(hfnOf(address.base), address.components.map(hfnOf));
}

/** The MFA of a parsed address (composites included). */
export function toMfa(address: ParsedAddress): string {
  return joinComposite(mfaOf(address.base), address.components.map(mfaOf));
}
