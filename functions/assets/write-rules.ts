/** What every asset write shares: the If-Match check's shape, the Enhanced AI fields' flag, the sequence-fill metric. */
import { ENHANCED_FIELDS } from '../domain/schemas/asset-input.js';
import { FeatureDisabledError } from '../domain/errors.js';
import type { FeatureFlags } from '../domain/ports/feature-flags.js';
import type { Metrics } from '../domain/ports/metrics.js';
import { registryFieldsOf, type StoredAsset } from '../domain/stored-asset.js';

/** A check run against the current asset inside the write (If-Match, for one). */
export type CurrentAssetCheck = (current: StoredAsset) => void;

/** The time the use cases stamp writes with; tests pass a clock they move. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** The Enhanced AI fields are accepted only while CREATOR_DESCRIPTION is on. */
export async function guardEnhancedFields(flags: FeatureFlags, fields: Record<string, unknown>): Promise<void> {
  const used = ENHANCED_FIELDS.filter((field) => fields[field] !== undefined);
  if (used.length > 0 && !(await flags.isEnabled('CREATOR_DESCRIPTION'))) {
    throw new FeatureDisabledError('CREATOR_DESCRIPTION', `${used.join(', ')} cannot be set while the CREATOR_DESCRIPTION feature is off`);
  }
}

/** How full the asset's taxonomy path is now: the number it just drew, of the 999 a path has. */
export function recordSequenceFill(metrics: Metrics | undefined, asset: StoredAsset): void {
  const sys = registryFieldsOf(asset.document);
  if (sys) metrics?.observe('sequence_fill', sys.sequence, { path: sys.sequenceKey });
}
