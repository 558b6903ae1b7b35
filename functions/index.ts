/**
 * Entry points of the three functions. Only wiring: configuration is validated here, at start, and
 * the pipeline functions load their image code on first use, so the API never loads sharp.
 */
import * as functions from '@google-cloud/functions-framework';
import { createApiFunction } from './api/api-function.js';
import { getConfig } from './platform/config.js';
import { createLogger } from './platform/logger.js';

const config = getConfig();
const logger = createLogger(config.logLevel);

functions.http('api', createApiFunction(config, logger));

type EventHandler = (event: functions.CloudEvent<unknown>) => Promise<void>;
let albumArtHandler: Promise<EventHandler> | undefined;
functions.cloudEvent('processAlbumArt', async (event: functions.CloudEvent<unknown>) => {
  albumArtHandler ??= import('./album-art/process-album-art.js').then(({ createAlbumArtHandler }) => createAlbumArtHandler(config, logger));
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
