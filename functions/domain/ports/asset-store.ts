/** The asset's persistence as its three ports, as wiring hands them out together. */
import type { AssetQueries } from './asset-queries.js';
import type { AssetWrites } from './asset-writes.js';
import type { DeletedAssets } from './deleted-assets.js';

export interface AssetStore {
  readonly writes: AssetWrites;
  readonly queries: AssetQueries;
  readonly deleted: DeletedAssets;
}
