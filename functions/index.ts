/**
 * Entry points of the three functions. Only wiring: configuration is validated here, at start, and
 * the pipeline functions load their image code on first use, so the API never loads sharp.
 */
import * as functions from '@google-cloud/functions-framework';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { createApiFunction } from './api/api-function.js';
import { getConfig } from './platform/config.js';
import { createLogger } from './platform/logger.js';

const config = getConfig();
const logger = createLogger(config.logLevel);

functions.http('api', createApiFunction(config, logger));

type EventHandler = (event: CloudEvent<unknown>) => Promise<void>;
let generateVariants: Promise<EventHandler> | undefined;

// Storage `object.v1.finalized` events of the album-art bucket (Eventarc); sharp loads on the first one.
functions.cloudEvent('generateVariants', async (event: CloudEvent<unknown>) => {
  generateVariants ??= import('./variants/variant-function.js').then(({ createVariantFunction }) => createVariantFunction(config, logger));
  await (await generateVariants)(event);
});
