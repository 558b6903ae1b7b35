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
  await (await albumArtHandler)(event);
});
