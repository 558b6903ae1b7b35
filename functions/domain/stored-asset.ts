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
  /** Normalized search terms (see search-terms.ts). */
  searchTerms?: string[];
}

export type StoredAssetDocument = AssetDocument & { _sys?: SystemFields };

export interface StoredAsset {
  id: string;
  document: StoredAssetDocument;
}

export const SYSTEM_FIELD = '_sys';
