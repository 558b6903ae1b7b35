/**
 * Assets as `npm run import` stores them (the shape agreed with the importer): the source document's
 * fields verbatim under its `_id`, `categoryCode`/`subcategoryCode` from the HFN beside them, and
 * `_sys` with the base addresses, the composite's components as base HFNs, the search terms and the
 * import provenance; counters `assets_sequences/<L.CAT.SUB>` at the highest imported number.
 * Suites that need imported assets seed them through here, so that this one place can later run
 * the importer itself instead.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../../functions/domain/errors.js';
import { hfnOf, mfaOf, parseAddress, type ParsedAddress } from '../../functions/domain/naming.js';
import { withSearchTerms } from '../../functions/domain/search/search-terms.js';
import type { StoredAssetDocument } from '../../functions/domain/stored-asset.js';
import { taxonomy } from '../../functions/domain/taxonomy/taxonomy.js';
import { testFirestore } from './firestore-direct.js';
import { PROJECT_ROOT } from './test-environment.js';

/** A document of the old backend as its export holds it (`_id` optional: the samples have none). */
export type SourceAsset = Record<string, unknown> & { name: string; nna_address: string; updatedAt: string; _id?: string };

export interface ImportedAsset {
  id: string;
  source: SourceAsset;
  document: Record<string, unknown>;
}

/** The 60 real staging documents (10 per layer G, S, L, M, W, C) of the old backend. */
export const stagingSamples = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/staging-assets-sample.json'), 'utf8')) as SourceAsset[];

export const IMPORT_SOURCE = 'staging-assets-export.json';
const IMPORTED_AT = '2026-12-01T00:00:00.000Z';

/** A stable ObjectId-like id (24 hex digits) for a sample without `_id`: the same name gives the same id. */
export function sourceIdOf(source: SourceAsset): string {
  return source._id ?? createHash('sha256').update(source.name).digest('hex').slice(0, 24);
}

/** The sample whose name (or, for composites, whose base HFN) is `hfn`. */
export function stagingSample(hfn: string): SourceAsset {
  const found = stagingSamples.find((source) => source.name === hfn || source.name.startsWith(`${hfn}:`));
  if (!found) throw new Error(`No staging sample named ${hfn}`);
  return found;
}

function parsedName(name: string): ParsedAddress | undefined {
  try {
    return parseAddress(taxonomy, name, 'name');
  } catch (error) {
    // A name the taxonomy cannot resolve is imported as it is, with only its terms and provenance.
    if (error instanceof ValidationError) return undefined;
    throw error;
  }
}

/** The stored document of one source asset, as the importer writes it. */
export function importedAssetOf(source: SourceAsset): ImportedAsset {
  // The source's `_id` becomes the document id, not a field.
  const fields: Record<string, unknown> = { ...source };
  delete fields['_id'];
  const parsed = parsedName(source.name);
  const [, category, subcategory] = source.name.split(':')[0]!.split('.');
  const document: Record<string, unknown> = {
    ...fields,
    categoryCode: parsed?.base.path.category.code ?? category,
    subcategoryCode: parsed?.base.path.subcategory.code ?? subcategory,
  };
  const imported = { source: IMPORT_SOURCE, importedAt: IMPORTED_AT, sourceUpdatedAt: source.updatedAt };
  if (parsed) {
    const { path: taxonomyPath, sequence } = parsed.base;
    document['_sys'] = {
      sequence,
      sequenceKey: `${taxonomyPath.layer.code}.${taxonomyPath.category.code}.${taxonomyPath.subcategory.code}`,
      hfn: hfnOf(parsed.base),
      mfa: mfaOf(parsed.base),
      ...(parsed.components.length > 0 ? { components: parsed.components.map(hfnOf) } : {}),
      imported,
    };
  } else {
    document['_sys'] = { imported };
  }
  return { id: sourceIdOf(source), source, document: withSearchTerms(document as unknown as StoredAssetDocument) as unknown as Record<string, unknown> };
}

export interface SeedOptions {
  /** The importer's counters at the highest imported number of each path (default); false leaves them out. */
  counters?: boolean;
  collection?: string;
}

/** Writes imported assets (the staging samples by default) straight into Firestore, with their counters. */
export async function seedImportedAssets(sources: readonly SourceAsset[] = stagingSamples, options: SeedOptions = {}): Promise<ImportedAsset[]> {
  const collection = options.collection ?? 'assets';
  const assets = sources.map(importedAssetOf);
  const highest = new Map<string, number>();
  for (const { document } of assets) {
    const sys = document['_sys'] as { sequenceKey?: string; sequence?: number };
    if (sys.sequenceKey !== undefined) highest.set(sys.sequenceKey, Math.max(highest.get(sys.sequenceKey) ?? 0, sys.sequence!));
  }
  const db = testFirestore();
  const batch = db.batch();
  for (const asset of assets) batch.set(db.collection(collection).doc(asset.id), asset.document);
  if (options.counters !== false) for (const [key, last] of highest) batch.set(db.collection(`${collection}_sequences`).doc(key), { last });
  await batch.commit();
  return assets;
}

/** The document id of the imported sample named `hfn` (its base HFN for composites). */
export function importedId(hfn: string): string {
  return sourceIdOf(stagingSample(hfn));
}

/** The imported staging samples for each test of the enclosing `describe` (the root hook empties Firestore before each). */
export function useImportedAssets(): { readonly assets: ImportedAsset[] } {
  const state = { assets: [] as ImportedAsset[] };
  beforeEach(async () => {
    state.assets = await seedImportedAssets();
  });
  return state;
}
