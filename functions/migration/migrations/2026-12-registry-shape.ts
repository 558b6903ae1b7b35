/**
 * One shape: assets this backend wrote before it wrote the old backend's forms get them
 * (domain/registry-shape.ts): `nna_address` as the letter-form MFA, a composite's `name` and
 * `components` in letter-form MFAs joined by `:` (their HFNs kept in `_sys.components`),
 * `trainingData` and `rights` as JSON text, `registeredBy` from `createdBy`, `__v` 0, and `[]` as a
 * non-composite's `components`. Imported assets are in that shape already and are not selected.
 */
import { inRegistryShape, shapeIssuesOf } from '../../domain/registry-shape.js';
import type { StoredAssetDocument } from '../../domain/stored-asset.js';
import type { Migration, PlainDocument } from '../migration.js';

/** The fields involved are JSON values (strings, arrays, objects), the same as plain and as stored. */
function asAsset(document: PlainDocument): StoredAssetDocument {
  return document as unknown as StoredAssetDocument;
}

export const registryShapeMigration: Migration = {
  id: '2026-12-registry-shape',
  description: "Assets written by this backend: the old backend's forms of nna_address, name, components, trainingData, rights, registeredBy, __v",

  selects(document: PlainDocument): boolean {
    return shapeIssuesOf(asAsset(document)).length > 0;
  },

  up(document: PlainDocument): PlainDocument {
    return inRegistryShape(asAsset(document)) as unknown as PlainDocument;
  },

  verify(document: PlainDocument): string[] {
    return shapeIssuesOf(asAsset(document));
  },
};
