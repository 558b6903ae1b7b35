/**
 * Pure construction of asset documents: a new asset from a validated create request and its
 * allocated sequence number, and an updated asset from a validated update request. Both are
 * written in the registry's one shape (registry-shape.ts), the old backend's forms.
 */
import { ValidationError } from './errors.js';
import { hfnOf, joinComposite, mfaOf } from './naming.js';
import type { CreateAssetInput, UpdateAssetInput } from './schemas/asset-input.js';
import type { FileRecord } from './schemas/asset.js';
import { withSearchIndex } from './search/search-terms.js';
import { componentHfnsOf, inRegistryShape } from './registry-shape.js';
import { registryFieldsOf, type StoredAssetDocument } from './stored-asset.js';
import type { TaxonomyPath } from './taxonomy/taxonomy.js';

/** An existing asset used as a component of a composite. */
export interface ComponentRef {
  hfn: string;
  mfa: string;
}

export interface NewAssetContext {
  input: CreateAssetInput;
  path: TaxonomyPath;
  sequence: number;
  components: readonly ComponentRef[];
  file?: FileRecord;
  createdBy: string;
  now: string;
}

export function sequenceKeyOf(path: TaxonomyPath): string {
  return `${path.layer.code}.${path.category.code}.${path.subcategory.code}`;
}

/** The metadata keys the registry owns; a client's metadata can never override them. */
function registryMetadata(name: string, address: string, components: readonly ComponentRef[]): Record<string, unknown> {
  const owned: Record<string, unknown> = { humanFriendlyName: name, machineFriendlyAddress: address };
  if (components.length > 0) {
    owned['components'] = components.map((component) => component.hfn);
    owned['componentCount'] = components.length;
  }
  return owned;
}

function taxonomyFields(path: TaxonomyPath) {
  return {
    layer: path.layer.code,
    category: path.category.name,
    subcategory: path.subcategory.name,
    categoryCode: path.category.code,
    subcategoryCode: path.subcategory.code,
  };
}

/** Sets a field only when it has a value, so that documents carry new fields only when set. */
function withOptional<T extends object>(target: T, field: string, value: unknown): T {
  if (value !== undefined && value !== '') (target as Record<string, unknown>)[field] = value;
  return target;
}

export function buildNewAsset(context: NewAssetContext): StoredAssetDocument {
  const { input, path, sequence, components, file, createdBy, now } = context;
  const isComposite = path.layer.code === 'C';
  if (isComposite && components.length === 0) {
    throw ValidationError.single('components', 'A composite (layer C) needs at least one component HFN');
  }
  if (!isComposite && components.length > 0) {
    throw ValidationError.single('components', `Only composites (layer C) have components; layer ${path.layer.code} does not`);
  }
  const baseHfn = hfnOf({ path, sequence });
  const baseMfa = mfaOf({ path, sequence });
  const name = joinComposite(
    baseHfn,
    components.map((component) => component.hfn),
  );
  const address = joinComposite(
    baseMfa,
    components.map((component) => component.mfa),
  );

  const document: StoredAssetDocument = {
    name,
    nna_address: address,
    ...taxonomyFields(path),
    description: input.description,
    tags: input.tags,
    source: input.source,
    files: file ? [file] : [],
    metadata: { ...input.metadata, ...registryMetadata(name, address, components) },
    status: input.status,
    createdBy,
    createdAt: now,
    updatedAt: now,
  };
  withOptional(document, 'creatorDescription', input.creatorDescription);
  withOptional(document, 'gcpStorageUrl', file?.url);
  if (isComposite) document.components = components.map((component) => component.hfn);
  withOptional(document, 'trainingData', input.trainingData);
  withOptional(document, 'rights', input.rights);
  withOptional(document, 'albumArt', input.albumArt);
  withOptional(document, 'aiMetadata', input.aiMetadata);
  withOptional(document, 'extractedSongData', input.extractedSongData);
  document._sys = { sequence, sequenceKey: sequenceKeyOf(path), hfn: baseHfn, mfa: baseMfa };
  return withSearchIndex(inRegistryShape(document));
}

/** A new place in the taxonomy for an asset whose layer, category or subcategory changes. */
export interface Readdress {
  path: TaxonomyPath;
  sequence: number;
}

/** The composite suffix of a name or address (`:c1+c2`), kept when an asset is re-addressed. */
function compositeSuffix(value: string): string {
  const index = value.indexOf(':');
  return index < 0 ? '' : value.slice(index);
}

export function applyAssetUpdate(current: StoredAssetDocument, input: UpdateAssetInput, readdress: Readdress | undefined, now: string): StoredAssetDocument {
  if (input.name !== undefined && input.name !== current.name) {
    throw ValidationError.single('name', `name is the asset's HFN (${current.name}) and follows its taxonomy; change layer, category or subcategory instead`);
  }
  const next: StoredAssetDocument = { ...current, updatedAt: now };
  if (readdress) {
    const { path, sequence } = readdress;
    const baseHfn = hfnOf({ path, sequence });
    const baseMfa = mfaOf({ path, sequence });
    Object.assign(next, taxonomyFields(path));
    next.name = baseHfn + compositeSuffix(current.name);
    next.nna_address = baseMfa + compositeSuffix(current.nna_address);
    next._sys = { ...current._sys, sequence, sequenceKey: sequenceKeyOf(path), hfn: baseHfn, mfa: baseMfa };
  }
  const plainFields = ['description', 'creatorDescription', 'tags', 'source', 'trainingData', 'rights', 'status', 'aiMetadata', 'extractedSongData'] as const;
  for (const field of plainFields) {
    if (input[field] !== undefined) (next as Record<string, unknown>)[field] = input[field];
  }
  if (input.albumArt !== undefined) next.albumArt = { ...current.albumArt, ...input.albumArt };
  const clientMetadata = input.metadata ?? current.metadata ?? {};
  const componentRefs = componentHfnsOf(current).map((hfn) => ({ hfn, mfa: '' }));
  const registry = registryFieldsOf(next);
  const canonicalName = registry
    ? joinComposite(
        registry.hfn,
        componentRefs.map((component) => component.hfn),
      )
    : next.name;
  const owned = registryMetadata(canonicalName, registry?.mfa ?? next.nna_address, componentRefs);
  // Legacy documents may lack the registry's keys; add them only when metadata is being written.
  if (input.metadata !== undefined || readdress) next.metadata = { ...clientMetadata, ...owned };
  return withSearchIndex(inRegistryShape(next));
}
