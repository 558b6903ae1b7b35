/** Wires the variant generator from configuration; loaded on the first event, with sharp. */
import type { CloudEvent } from '@google-cloud/functions-framework';
import { createBlobStore } from '../adapters/blob-store/create-blob-store.js';
import { FirestoreAlbumArtStore } from '../adapters/firestore/firestore-album-art-store.js';
import { getFirestore } from '../adapters/firestore/firestore-client.js';
import { configureHistory } from '../adapters/firestore/firestore-history.js';
import { createFeatureFlags } from '../operations/flags/create-feature-flags.js';
import { createMetrics } from '../operations/metrics/create-metrics.js';
import { MeteredBlobStore } from '../operations/metrics/metered-blob-store.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { observeEvent } from '../platform/observe-event.js';
import { VariantGenerator } from './variant-generator.js';

export function createVariantFunction(config: Config, logger: Logger): (event: CloudEvent<unknown>) => Promise<void> {
  const firestore = getFirestore(config.projectId);
  configureHistory(config.dataSafety);
  const { metrics, flush } = createMetrics(config, logger, firestore);
  const functionLogger = logger.child({ function: 'generateVariants' });
  const generator = new VariantGenerator({
    blobStore: new MeteredBlobStore(createBlobStore(config, 'albumArt', logger), config.albumArtStore.bucket, metrics),
    albumArt: new FirestoreAlbumArtStore(firestore, config.assetsCollection),
    flags: createFeatureFlags(config, firestore, logger),
    metrics,
    logger: functionLogger,
    bucket: config.albumArtStore.bucket,
    crop: config.variants.crop,
  });
  return async (event) => {
    await observeEvent({ name: 'generateVariants', logger: functionLogger, labels: { eventId: event.id, object: event.subject ?? '' }, flush }, () =>
      generator.handle(event),
    );
  };
}
