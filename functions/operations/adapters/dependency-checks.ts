import type { Firestore } from '@google-cloud/firestore';
import type { BlobStore } from '../../domain/ports/blob-store.js';
import type { HealthCheck } from '../../domain/ports/health-check.js';
import type { VirusScanner } from '../../domain/ports/virus-scanner.js';

/** Firestore: one document read (a missing document is still an answer). */
export function firestoreCheck(firestore: Firestore, documentPath: string): HealthCheck {
  return {
    name: 'firestore',
    required: true,
    check: async () => {
      await firestore.doc(documentPath).get();
    },
  };
}

/** The blob store: a stat of an object that need not exist. */
export function blobStoreCheck(blobStore: BlobStore, name = 'health/probe'): HealthCheck {
  return {
    name: 'blobStore',
    required: true,
    check: async () => {
      await blobStore.stat(name);
    },
  };
}

/**
 * Pub/Sub: lists one topic. The client loads on the first check, so the API's cold start does not
 * pay for it; it honours PUBSUB_EMULATOR_HOST.
 */
export function pubSubCheck(projectId: string, required = true): HealthCheck {
  let client: Promise<{ getTopics(options: { pageSize: number; autoPaginate: boolean }): Promise<unknown> }> | undefined;
  return {
    name: 'pubsub',
    required,
    check: async () => {
      client ??= import('@google-cloud/pubsub').then(({ PubSub }) => new PubSub({ projectId }));
      await (await client).getTopics({ pageSize: 1, autoPaginate: false });
    },
  };
}

/**
 * The virus scanner the album-art processor uses: a scan of a few harmless bytes. Required only
 * when scanning is; the API reports it so one readiness call covers the whole pipeline.
 */
export function scannerCheck(scanner: VirusScanner, required: boolean): HealthCheck {
  return {
    name: 'scanner',
    required,
    check: async () => {
      await scanner.scan(Buffer.from('readiness probe'));
    },
  };
}
