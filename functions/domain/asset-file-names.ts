/**
 * Where asset files live in the assets bucket: `S/POP/BAS/S.POP.BAS.001.png` once the asset exists,
 * `uploads/2026/12/02/<uuid>.png` for a file sent on its own. Those are the names the API publishes;
 * staged uploads (`staging/`) and anything else in the bucket are never handed out.
 */
import { hfnOf } from './naming.js';
import type { TaxonomyPath } from './taxonomy/taxonomy.js';

const UPLOADS_PREFIX = 'uploads/';

/** The organized name of an asset's file, its extension that of the file's recognised type. */
export function assetFileName(taxonomyPath: TaxonomyPath, sequence: number, extension: string): string {
  const hfn = hfnOf({ path: taxonomyPath, sequence });
  return `${taxonomyPath.layer.code}/${taxonomyPath.category.code}/${taxonomyPath.subcategory.code}/${hfn}${extension}`;
}

/** The name of a file uploaded on its own on a day (`YYYY-MM-DD...`, an ISO date-time). */
export function uploadFileName(isoNow: string, id: string, extension: string): string {
  return `${UPLOADS_PREFIX}${isoNow.slice(0, 10).replaceAll('-', '/')}/${id}${extension}`;
}

/** The prefixes of every name the API publishes: one folder per layer, and the uploads. */
export function publishedAssetPrefixes(layerCodes: readonly string[]): string[] {
  return [...layerCodes.map((code) => `${code}/`), UPLOADS_PREFIX];
}
