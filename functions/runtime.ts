/**
 * The composition root shared by the three functions: the process's Firestore client, history
 * recorder, metrics, feature flags and blob stores, each built once and only when something first asks for it, so a
 * cold start pays for nothing its first request does not use. Entry points take what they need
 * from here and only wire.
 */
import type { Firestore } from '@google-cloud/firestore';
import { createBlobStore, type BlobBucket } from './adapters/blob-store/create-blob-store.js';
import { getFirestore } from './adapters/firestore/firestore-client.js';
import { HistoryRecorder } from './adapters/firestore/firestore-history.js';
import type { BlobStore } from './domain/ports/blob-store.js';
import { createFeatureFlags } from './operations/adapters/create-feature-flags.js';
import type { ManagedFeatureFlags } from './operations/flags/managed-feature-flags.js';
import { createMetrics, type ProcessMetrics } from './operations/adapters/create-metrics.js';
import { MeteredBlobStore } from './operations/metrics/metered-blob-store.js';
import type { Config } from './platform/config.js';
import type { Logger } from './platform/logger.js';

export interface Runtime {
  readonly config: Config;
  readonly logger: Logger;
  /** The time, for what counts time in state shared across instances (sign-in throttling); tests pass a fake. */
  readonly clock: () => Date;
  /** The process's Firestore client (the emulator when FIRESTORE_EMULATOR_HOST is set). */
  firestore(): Firestore;
  /** What every writer of an asset records its history through, with the configured retention. */
  historyRecorder(): HistoryRecorder;
  /** Log metrics, plus Firestore aggregates unless disabled, with their flush. */
  metrics(): ProcessMetrics;
  flags(): ManagedFeatureFlags;
  /** The metered store of a bucket; locally the album-art one announces writes as storage events. */
  blobStore(bucket: BlobBucket): BlobStore;
  /**
   * Stops what the runtime started (the metrics flush timer, after a last flush). A function
   * instance never calls it; tests that build the API in their own process do, when they stop it.
   */
  close(): Promise<void>;
}

/** A value built by `build` on the first call, then the same value on every call. */
function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

export interface RuntimeOptions {
  clock?: () => Date;
}

export function createRuntime(config: Config, logger: Logger, options: RuntimeOptions = {}): Runtime {
  const firestore = once(() => getFirestore(config.projectId));
  let builtMetrics: ProcessMetrics | undefined;
  const metrics = (): ProcessMetrics => (builtMetrics ??= createMetrics(config, logger, firestore()));
  const flags = once(() => createFeatureFlags(config, firestore(), logger));
  const historyRecorder = once(() => new HistoryRecorder(config.dataSafety));
  const stores = new Map<BlobBucket, BlobStore>();
  return {
    config,
    logger,
    clock: options.clock ?? (() => new Date()),
    firestore,
    historyRecorder,
    metrics,
    flags,
    blobStore(bucket) {
      let store = stores.get(bucket);
      if (!store) {
        const target = bucket === 'assets' ? config.blobStore : config.albumArtStore;
        store = new MeteredBlobStore(createBlobStore(config, bucket, logger), target.bucket, metrics().metrics);
        stores.set(bucket, store);
      }
      return store;
    },
    async close() {
      await builtMetrics?.close();
    },
  };
}
