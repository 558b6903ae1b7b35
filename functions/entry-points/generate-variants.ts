/**
 * Storage `object.v1.finalized` events of the album-art bucket (Eventarc); sharp loads on the first
 * one. Like processAlbumArt it checks its CloudEvent envelope first and answers 405 to anything else.
 */
import * as functions from '@google-cloud/functions-framework';
import { FINALIZED_EVENT_TYPE } from '../adapters/blob-store/storage-event-notifier.js';
import { logger, runtime } from '../composition.js';
import { eventFunction } from '../platform/event-function.js';
import type { storageEventSchema } from '../variants/storage-object-event.js';

functions.http(
  'generateVariants',
  eventFunction<typeof storageEventSchema>({
    name: 'generateVariants',
    eventType: FINALIZED_EVENT_TYPE,
    contract: () => import('../variants/storage-object-event.js').then(({ storageEventSchema }) => ({ envelope: storageEventSchema })),
    logger,
    load: () => import('../variants/variant-function.js').then(({ createVariantFunction }) => createVariantFunction(runtime)),
  }),
);
