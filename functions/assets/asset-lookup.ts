/**
 * Reading one asset by id, HFN or MFA: the part of the asset use cases that `GET /api/assets/:id`
 * needs, in a module of its own so that a cold start answering that request loads none of the
 * write path (input schemas, album-art requests, listing). The other use cases read through it too.
 */
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { hfnOf, looksLikeStoredAddress, mfaOf, parseAddress, type ParsedAddress } from '../domain/naming.js';
import type { AssetQueries } from '../domain/ports/asset-queries.js';
import type { StoredAsset } from '../domain/stored-asset.js';
import type { Taxonomy } from '../domain/taxonomy/taxonomy.js';

export class AssetLookup {
  constructor(
    private readonly queries: Pick<AssetQueries, 'get' | 'findByAddress' | 'findByStoredAddress'>,
    private readonly taxonomy: Taxonomy,
  ) {}

  async get(id: string): Promise<StoredAsset> {
    const asset = await this.queries.get(id);
    if (!asset) throw new NotFoundError(`Asset ${id} does not exist`);
    return asset;
  }

  /**
   * An asset by any spelling of its address the registry holds: HFN, MFA, the old backend's
   * letter-form MFA (`G.003.003.001`) and colon composite name (`C.FUL.POP.125:G.003.003.001:…`),
   * found by their base part. Address-shaped text the taxonomy cannot read is still an imported
   * asset's stored `name` or `nna_address` when one holds it exactly; otherwise it is a 400 as before.
   */
  async getByAddress(address: string): Promise<StoredAsset> {
    let parsed: ParsedAddress;
    try {
      parsed = parseAddress(this.taxonomy, address);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const text = address.trim();
      const stored = looksLikeStoredAddress(text) ? await this.queries.findByStoredAddress(text) : undefined;
      if (stored) return stored;
      throw error;
    }
    const base = parsed.kind === 'hfn' ? hfnOf(parsed.base) : mfaOf(parsed.base);
    const asset = await this.queries.findByAddress(parsed.kind, base);
    if (!asset) throw new NotFoundError(`No asset has the address ${address}`);
    return asset;
  }

  /**
   * The document id an asset reference names: the id itself, or the asset's HFN or MFA (the web
   * frontend saves an edit with `PUT /api/assets/S.POP.BAS.003`). An id never parses as an address:
   * addresses are dot-separated codes (`S.POP.BAS.001`, `2.001.001.001`), and ids are Firestore
   * auto-ids (20 letters and digits) or legacy 24-hex Mongo ids, none of which holds a dot. So only a
   * reference with a dot is tried as an address, and one that does not parse stays an id (not found).
   */
  async idOf(reference: string): Promise<string> {
    if (!reference.includes('.')) return reference;
    try {
      return (await this.getByAddress(reference)).id;
    } catch (error) {
      // Not an address after all: look it up as an id, which answers "not found" as before.
      if (error instanceof ValidationError) return reference;
      throw error;
    }
  }
}
