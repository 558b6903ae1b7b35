/**
 * Album-art jobs pushed from the album-art-jobs topic (Pub/Sub); file-type and sharp load on the
 * first one. The function validates its CloudEvent envelope (its schema loads on the first POST)
 * before loading anything else and answers 405 to any request that is not its event
 * (functions/platform/event-function.ts says why it is registered as an HTTP function).
 */
import * as functions from '@google-cloud/functions-framework';
import type { jobEventSchema } from '../album-art/index.js';
import { PUBSUB_EVENT_TYPE } from '../album-art/start-up.js';
import { logger, runtime } from '../composition.js';
import { eventFunction } from '../platform/event-function.js';

functions.http(
  'processAlbumArt',
  eventFunction<typeof jobEventSchema>({
    name: 'processAlbumArt',
    eventType: PUBSUB_EVENT_TYPE,
    contract: () => import('../album-art/index.js').then(({ jobEventSchema, pushAsEvent }) => ({ envelope: jobEventSchema, fromBody: pushAsEvent })),
    logger,
    load: () => import('../album-art/process-album-art.js').then(({ createAlbumArtHandler }) => createAlbumArtHandler(runtime)),
  }),
);
