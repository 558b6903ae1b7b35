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
  /** Normalized search terms, each mapped to createdAt (see search/search-terms.ts). */
  terms?: Record<string, string>;
}

/** A legacy document the registry has rewritten without re-addressing it: only its search terms. */
export interface LegacySystemFields {
  terms: Record<string, string>;
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
}

export const SYSTEM_FIELD = '_sys';
