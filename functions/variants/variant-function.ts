/** Wires the variant generator from configuration; loaded on the first event, with sharp. */
import { FirestoreAlbumArtStore } from '../album-art/index.js';
import { observeEvent } from '../platform/observe-event.js';
import type { Runtime } from '../runtime.js';
import type { StorageEvent } from './storage-object-event.js';
import { VariantGenerator } from './variant-generator.js';

export function createVariantFunction(runtime: Runtime): (event: StorageEvent) => Promise<void> {
  const { config } = runtime;
  const { metrics, flush } = runtime.metrics();
  const functionLogger = runtime.logger.child({ function: 'generateVariants' });
  const generator = new VariantGenerator({
    blobStore: runtime.blobStore('albumArt'),
    albumArt: new FirestoreAlbumArtStore(runtime.firestore(), config.assetsCollection, 'variants', runtime.historyRecorder(), config.firestoreDeadlineMs),
    flags: runtime.flags(),
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
