/**
 * What every entry point shares in one process: configuration, validated here at start, the logger
 * and the runtime (functions/runtime.ts), whose Firestore client, metrics, flags and blob stores are
 * built on first use. A deployed function's bundle holds one entry point and this module once.
 */
import { getConfig } from './platform/config.js';
import { createLogger } from './platform/logger.js';
import { createRuntime } from './runtime.js';

const config = getConfig();
export const logger = createLogger(config.logLevel);
export const runtime = createRuntime(config, logger);
