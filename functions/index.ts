/**
 * Entry points of the three functions. Only wiring: configuration is validated here, at start, and
 * the pipeline functions load their image code on first use, so the API never loads sharp.
 */
import * as functions from '@google-cloud/functions-framework';
import { createApiFunction } from './api/api-function.js';
import { getConfig } from './platform/config.js';
import { createLogger } from './platform/logger.js';
import { createRuntime } from './runtime.js';

const config = getConfig();
const logger = createLogger(config.logLevel);
// The one composition root: each function takes its Firestore client, metrics, flags and blob
// stores from here, built on first use.
const runtime = createRuntime(config, logger);

functions.http('api', createApiFunction(runtime));

type EventHandler = (event: functions.CloudEvent<unknown>) => Promise<void>;
let albumArtHandler: Promise<EventHandler> | undefined;

// Album-art jobs pushed from the album-art-jobs topic (Pub/Sub); file-type and sharp load on the first one.
functions.cloudEvent('processAlbumArt', async (event: functions.CloudEvent<unknown>) => {
  albumArtHandler ??= import('./album-art/process-album-art.js').then(({ createAlbumArtHandler }) => createAlbumArtHandler(runtime));
  let handler: EventHandler;
  try {
    handler = await albumArtHandler;
  } catch (error) {
    // Load again on the next event rather than failing every event of this instance.
    albumArtHandler = undefined;
    throw error;
  }
  await handler(event);
});

let generateVariants: Promise<EventHandler> | undefined;

// Storage `object.v1.finalized` events of the album-art bucket (Eventarc); sharp loads on the first one.
functions.cloudEvent('generateVariants', async (event: functions.CloudEvent<unknown>) => {
  generateVariants ??= import('./variants/variant-function.js').then(({ createVariantFunction }) => createVariantFunction(runtime));
  await (await generateVariants)(event);
});
