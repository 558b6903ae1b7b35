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
/**
 * The old backend's MFA spelling: the layer letter with the numeric category and subcategory
 * (`G.003.003.001` for `1.003.003.001`). The registry it replaces holds every address this way.
 */
const LETTER_MFA_PART = /^([A-Z])\.(\d{3})\.(\d{3})\.(\d{3,})$/;

/** Whether text is one letter-form MFA (`G.003.003.001`), the spelling of the old backend's addresses. */
export function isLetterFormMfa(text: string): boolean {
  return LETTER_MFA_PART.test(text);
}

/** A numeric MFA (`2.001.002.031`) in the letter form, the layer's letter first (`S.001.002.031`). */
export function letterFormOf(layerCode: string, mfa: string): string {
  return `${layerCode}${mfa.slice(mfa.indexOf('.'))}`;
}

/**
 * The highest sequence number of a taxonomy path: sequences are three digits (001-999), as the NNA
 * whitepaper and the web frontend (which parses `/\.(\d{3})$/`) read them.
 */
export const MAX_SEQUENCE = 999;

function formatSequence(sequence: number): string {
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

function looksLikeMfa(value: string): boolean {
  return /^\d/.test(value.trim());
}

/** One part of an address, in whichever spelling it has: HFN, MFA or the old letter-form MFA. */
function parsePart(taxonomy: Taxonomy, text: string): { kind: 'hfn' | 'mfa'; parts: AddressParts } | undefined {
  const hfn = HFN_PART.exec(text);
  const hfnPath = hfn ? taxonomy.resolveCodes(hfn[1]!, hfn[2]!, hfn[3]!) : undefined;
  if (hfn && hfnPath) return { kind: 'hfn', parts: { path: hfnPath, sequence: Number(hfn[4]) } };
  const mfa = MFA_PART.exec(text);
  if (mfa) {
    const path = taxonomy.resolveNumbers(Number(mfa[1]), Number(mfa[2]), Number(mfa[3]));
    return path ? { kind: 'mfa', parts: { path, sequence: Number(mfa[4]) } } : undefined;
  }
  const letter = LETTER_MFA_PART.exec(text);
  const layer = letter ? taxonomy.layers.find((entry) => entry.code === letter[1]) : undefined;
  if (!letter || !layer) return undefined;
  const path = taxonomy.resolveNumbers(layer.number, Number(letter[2]), Number(letter[3]));
  return path ? { kind: 'mfa', parts: { path, sequence: Number(letter[4]) } } : undefined;
}

/**
 * Parses an HFN or MFA, composite or not, throwing a ValidationError naming `fieldPath` when the
 * text is not an address of the taxonomy. Every spelling the registry holds is read: HFNs
 * case-insensitively, numeric MFAs, the old letter-form MFAs (`G.003.003.001`), composites joined
 * the contract's way (`base:c1+c2`) or the old backend's (`base:c1:c2`, letter-form components).
 * `kind` is the base's spelling: an HFN, or an MFA of either form.
 */
export function parseAddress(taxonomy: Taxonomy, raw: string, fieldPath = 'address'): ParsedAddress {
  const text = raw.trim();
  const [basePart = '', ...componentGroups] = text.toUpperCase().split(':');
  const base = parsePart(taxonomy, basePart);
  if (!base) {
    throw ValidationError.single(fieldPath, `${raw} is not a valid ${looksLikeMfa(text) ? 'MFA (like 2.001.001.001)' : 'HFN (like S.POP.BAS.001)'}`);
  }
  const components: AddressParts[] = [];
  for (const piece of componentGroups.flatMap((group) => group.split('+'))) {
    const component = parsePart(taxonomy, piece);
    if (!component) {
      throw ValidationError.single(fieldPath, `${piece || '(empty)'} in ${raw} is not a valid component address`);
    }
    components.push(component.parts);
  }
  return { kind: base.kind, base: base.parts, components };
}

/** The HFN of a parsed address (composites included). */
export function toHfn(address: ParsedAddress): string {
  return joinComposite(hfnOf(address.base), address.components.map(hfnOf));
}

/** The MFA of a parsed address (composites included). */
export function toMfa(address: ParsedAddress): string {
  return joinComposite(mfaOf(address.base), address.components.map(mfaOf));
}

/**
 * Text shaped like a stored address the taxonomy may not read (`G.undefined.undefined.001`, an
 * imported name in an unknown subcategory): four dot-separated parts, maybe a colon suffix, no
 * spaces, at most 1,000 characters (an indexed value stays under Firestore's 1,500 bytes). Only such
 * text is looked up as an imported asset's stored `name` or `nna_address`.
 */
export function looksLikeStoredAddress(text: string): boolean {
  return text.length <= 1000 && /^[A-Za-z0-9]+(\.[A-Za-z0-9]+){3}(:\S*)?$/.test(text);
}

/**
 * The highest sequence already used under an HFN prefix (`S.POP.BAS.`) among these names: where a
 * subcategory that predates counters continues.
 */
export function highestSequence(names: readonly string[], prefix: string): number {
  let highest = 0;
  for (const name of names) {
    const match = /^(\d+)/.exec(name.slice(prefix.length));
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return highest;
}
