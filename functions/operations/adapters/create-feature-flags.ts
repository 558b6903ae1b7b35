import type { Firestore } from '@google-cloud/firestore';
import type { Config } from '../../platform/config.js';
import type { Logger } from '../../platform/logger.js';
import { FirestoreFeatureFlags } from './firestore-feature-flags.js';

/** The suite's feature flags for any function: every entry point reads flags through this one adapter. */
export function createFeatureFlags(config: Config, firestore: Firestore, logger: Logger): FirestoreFeatureFlags {
  return new FirestoreFeatureFlags(firestore, {
    document: config.flags.document,
    cacheTtlMs: config.flags.cacheTtlMs,
    envOverrides: config.flagEnvOverrides,
    logger,
    deadlineMs: config.firestoreDeadlineMs,
  });
}
