/** A composite's components, named by HFN or MFA: each must be a live single asset. */
import type { ComponentRef } from '../domain/asset-builder.js';
import { ValidationError, type ErrorDetail } from '../domain/errors.js';
import { hfnOf, mfaOf, parseAddress } from '../domain/naming.js';
import type { AssetQueries } from '../domain/ports/asset-queries.js';
import type { DeletedAssets } from '../domain/ports/deleted-assets.js';
import type { Taxonomy } from '../domain/taxonomy/taxonomy.js';

export interface ComponentLookups {
  queries: Pick<AssetQueries, 'findByAddress'>;
  deleted: Pick<DeletedAssets, 'isDeletedAddress'>;
  taxonomy: Taxonomy;
}

/** Every component resolved, or one 400 naming each one that is not a live single asset. */
export async function resolveComponents({ queries, deleted, taxonomy }: ComponentLookups, references: readonly string[]): Promise<ComponentRef[]> {
  const details: ErrorDetail[] = [];
  const resolved: ComponentRef[] = [];
  for (const [index, reference] of references.entries()) {
    const fieldPath = `components.${index}`;
    try {
      const parsed = parseAddress(taxonomy, reference, fieldPath);
      if (parsed.components.length > 0 || parsed.base.path.layer.code === 'C') {
        details.push({ path: fieldPath, issue: `${reference} is a composite; components must be single assets` });
        continue;
      }
      const base = parsed.kind === 'hfn' ? hfnOf(parsed.base) : mfaOf(parsed.base);
      const found = await queries.findByAddress(parsed.kind, base);
      if (!found) {
        const isDeleted = await deleted.isDeletedAddress(parsed.kind, base);
        details.push({ path: fieldPath, issue: isDeleted ? `Component ${reference} is deleted; restore it first` : `Component ${reference} does not exist` });
        continue;
      }
      resolved.push({ hfn: hfnOf(parsed.base), mfa: mfaOf(parsed.base) });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      details.push(...error.details);
    }
  }
  if (details.length > 0) throw new ValidationError(details);
  return resolved;
}
