/**
 * Entry points of the three functions. Only wiring: configuration is validated here, at start, and
 * the pipeline functions load their image code on the first event, so the API never loads sharp.
 * The event functions validate their CloudEvent envelope (its schema loads on the first POST) before
 * loading anything else and answer 405 to any request that is not their event
 * (functions/platform/event-function.ts says why they are registered as HTTP functions).
 */
import * as functions from '@google-cloud/functions-framework';
import type { jobEventSchema } from './album-art/index.js';
import { PUBSUB_EVENT_TYPE } from './album-art/start-up.js';
import { FINALIZED_EVENT_TYPE } from './adapters/blob-store/storage-event-notifier.js';
import type { storageEventSchema } from './variants/storage-object-event.js';
import { createApiFunction } from './api/api-function.js';
import { getConfig } from './platform/config.js';
import { eventFunction } from './platform/event-function.js';
import { createLogger } from './platform/logger.js';
import { createRuntime } from './runtime.js';

const config = getConfig();
const logger = createLogger(config.logLevel);
// The one composition root: each function takes its Firestore client, metrics, flags and blob
// stores from here, built on first use.
const runtime = createRuntime(config, logger);

functions.http('api', createApiFunction(runtime));

// Album-art jobs pushed from the album-art-jobs topic (Pub/Sub); file-type and sharp load on the first one.
functions.http(
  'processAlbumArt',
  eventFunction<typeof jobEventSchema>({
    name: 'processAlbumArt',
    eventType: PUBSUB_EVENT_TYPE,
    contract: () => import('./album-art/index.js').then(({ jobEventSchema, pushAsEvent }) => ({ envelope: jobEventSchema, fromBody: pushAsEvent })),
    logger,
    load: () => import('./album-art/process-album-art.js').then(({ createAlbumArtHandler }) => createAlbumArtHandler(runtime)),
  }),
);

// Storage `object.v1.finalized` events of the album-art bucket (Eventarc); sharp loads on the first one.
functions.http(
  'generateVariants',
  eventFunction<typeof storageEventSchema>({
    name: 'generateVariants',
    eventType: FINALIZED_EVENT_TYPE,
    contract: () => import('./variants/storage-object-event.js').then(({ storageEventSchema }) => ({ envelope: storageEventSchema })),
    logger,
    load: () => import('./variants/variant-function.js').then(({ createVariantFunction }) => createVariantFunction(runtime)),
  }),
);
