/** Wires the variant generator from configuration; loaded on the first event, with sharp. */
import type { CloudEvent } from '@google-cloud/functions-framework';
import { createBlobStore } from '../adapters/blob-store/create-blob-store.js';
import { FirestoreAlbumArtStore } from '../adapters/firestore/firestore-album-art-store.js';
import { getFirestore } from '../adapters/firestore/firestore-client.js';
import type { Config } from '../platform/config.js';
import { LogMetrics } from '../platform/log-metrics.js';
import type { Logger } from '../platform/logger.js';
import { StaticFeatureFlags } from '../platform/static-feature-flags.js';
import { VariantGenerator } from './variant-generator.js';

export function createVariantFunction(config: Config, logger: Logger): (event: CloudEvent<unknown>) => Promise<void> {
  const generator = new VariantGenerator({
    blobStore: createBlobStore(config, 'albumArt', logger),
    albumArt: new FirestoreAlbumArtStore(getFirestore(config.projectId), config.assetsCollection),
    flags: new StaticFeatureFlags(config.flagDefaults),
    metrics: new LogMetrics(logger),
    logger: logger.child({ function: 'generateVariants' }),
    bucket: config.albumArtStore.bucket,
    crop: config.variants.crop,
  });
  return async (event) => {
    await generator.handle(event);
  };
}
