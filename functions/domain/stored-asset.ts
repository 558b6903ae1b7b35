/**
 * The asset document as the registry stores it: the client-visible fields plus `_sys`, the
 * registry's own bookkeeping, which is never sent to clients. Legacy documents have no `_sys`.
 */
import type { AssetDocument } from './schemas/asset.js';

export interface SystemFields {
  /** Sequence number within the layer/category/subcategory. */
  sequence: number;
  /** `L.CAT.SUB` of the sequence counter the number came from. */
  sequenceKey: string;
  /** Base HFN and MFA without composite components, for direct lookups of composites. */
  hfn: string;
  mfa: string;
  /** The search index: one token per normalized term, naming its best field (see search/search-terms.ts). */
  search?: string[];
  /**
   * A composite's components as base HFNs, when its `components` field spells them otherwise (an
   * imported composite keeps the old backend's letter-form MFAs there), so that composite checks
   * find the composites naming an asset whatever the spelling.
   */
  components?: string[];
  /** Set on assets brought in from the old backend by `npm run import`. */
  imported?: ImportProvenance;
}

/** Where an imported asset came from: written by the importer, read by its verify and later runs. */
export interface ImportProvenance {
  /** The source's label: the export file's name or the old backend's API URL. */
  source: string;
  importedAt: string;
  /** The source document's `updatedAt` as imported (the high-water mark of `--since` runs). */
  sourceUpdatedAt: string;
  /**
   * The importer's own bookkeeping (absent on assets written otherwise): a hash of the source's
   * fields as imported, so that verify can tell a change in the old backend from an edit made here,
   * and their names, so that a later import knows which fields came from the source and which this
   * backend added (migrations, the API) and keeps the latter.
   */
  sourceHash?: string;
  sourceFields?: string[];
}

/** A legacy document the registry has rewritten without re-addressing it: only its search index. */
interface LegacySystemFields {
  search: string[];
  /** An imported asset whose taxonomy path the registry cannot resolve still records its provenance. */
  imported?: ImportProvenance;
}

export type StoredAssetDocument = AssetDocument & { _sys?: SystemFields | LegacySystemFields };

/** The registry's own addressing fields, absent on legacy documents. */
export function registryFieldsOf(document: StoredAssetDocument): SystemFields | undefined {
  const sys = document._sys;
  return sys && 'sequence' in sys ? sys : undefined;
}

export interface StoredAsset {
  id: string;
  document: StoredAssetDocument;
  /**
   * The store's version of the document (Firestore's update time), where the store gives one: two
   * reads with the same id and revision read the same document.
   */
  revision?: string;
}

export const SYSTEM_FIELD = '_sys';
