/**
 * The NNA layer taxonomy: layers, categories and subcategories with their codes, numbers and display
 * names. Clients send either the 3-letter code (`POP`) or the display name (`Pop`); both resolve to
 * the same entry, and a combination that does not exist is refused, never replaced by `Base`.
 */
import taxonomyData from './nna-taxonomy.json' with { type: 'json' };
import { ValidationError } from '../errors.js';

export interface TaxonomyEntry {
  readonly code: string;
  readonly number: number;
  readonly name: string;
}
type Subcategory = TaxonomyEntry;
export interface Category extends TaxonomyEntry {
  readonly subcategories: readonly Subcategory[];
}
export interface Layer extends TaxonomyEntry {
  readonly categories: readonly Category[];
}

/** A validated layer/category/subcategory triple. */
export interface TaxonomyPath {
  readonly layer: Layer;
  readonly category: Category;
  readonly subcategory: Subcategory;
}

export interface TaxonomyInput {
  layer: string;
  category: string;
  subcategory: string;
}

/** Folds case, spaces, hyphens and underscores so that `Hip Hop`, `hip_hop` and `HIP-HOP` agree. */
function fold(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');
}

/** Finds an entry by exact code first, then by display name, so a code never loses to a name. */
function findEntry<T extends TaxonomyEntry>(entries: readonly T[], value: string, aliasPrefix?: string): T | undefined {
  const code = value.trim().toUpperCase();
  const byCode = entries.find((entry) => entry.code === code);
  if (byCode) return byCode;
  const folded = fold(value);
  const byName = entries.find((entry) => fold(entry.name) === folded);
  if (byName || !aliasPrefix) return byName;
  // Older frontends prefixed category names with the layer name (`Stars_Virtual_Avatars`).
  const prefix = `${fold(aliasPrefix)}_`;
  return folded.startsWith(prefix) ? entries.find((entry) => fold(entry.name) === folded.slice(prefix.length)) : undefined;
}

export class Taxonomy {
  private readonly byLayerNumber = new Map<number, Layer>();

  constructor(
    readonly version: string,
    readonly layers: readonly Layer[],
  ) {
    for (const layer of layers) this.byLayerNumber.set(layer.number, layer);
  }

  findLayer(value: string): Layer | undefined {
    return findEntry(this.layers, value);
  }

  /** A layer's category by code, display name or the old layer-prefixed name. */
  findCategory(layer: Layer, value: string): Category | undefined {
    return findEntry(layer.categories, value, layer.name);
  }

  /** Resolves a layer and category (codes or display names), or explains which part is invalid. */
  resolveCategory(layerValue: string, categoryValue: string): { layer: Layer; category: Category } {
    const layer = this.findLayer(layerValue);
    if (!layer) {
      throw ValidationError.single('layer', `Invalid layer: ${layerValue}`);
    }
    const category = this.findCategory(layer, categoryValue);
    if (!category) {
      throw ValidationError.single('category', `Invalid category: ${categoryValue} for layer: ${layer.code}`);
    }
    return { layer, category };
  }

  /** Resolves codes or display names to one taxonomy path, or explains which part is invalid. */
  resolve(input: TaxonomyInput): TaxonomyPath {
    const { layer, category } = this.resolveCategory(input.layer, input.category);
    const subcategory = findEntry(category.subcategories, input.subcategory);
    if (!subcategory) {
      throw ValidationError.single('subcategory', `Invalid subcategory: ${input.subcategory} for layer: ${layer.code}, category: ${category.name}`);
    }
    return { layer, category, subcategory };
  }

  /** Resolves by codes only (`S`, `POP`, `BAS`), as they appear in an HFN. */
  resolveCodes(layerCode: string, categoryCode: string, subcategoryCode: string): TaxonomyPath | undefined {
    const layer = this.layers.find((entry) => entry.code === layerCode);
    const category = layer?.categories.find((entry) => entry.code === categoryCode);
    const subcategory = category?.subcategories.find((entry) => entry.code === subcategoryCode);
    return layer && category && subcategory ? { layer, category, subcategory } : undefined;
  }

  /** Resolves by numbers, as they appear in an MFA. */
  resolveNumbers(layerNumber: number, categoryNumber: number, subcategoryNumber: number): TaxonomyPath | undefined {
    const layer = this.byLayerNumber.get(layerNumber);
    const category = layer?.categories.find((entry) => entry.number === categoryNumber);
    const subcategory = category?.subcategories.find((entry) => entry.number === subcategoryNumber);
    return layer && category && subcategory ? { layer, category, subcategory } : undefined;
  }
}

/** The taxonomy the project ships (imported from the frontend's file by scripts/import-taxonomy.ts). */
export const taxonomy = new Taxonomy(taxonomyData.version, taxonomyData.layers);
