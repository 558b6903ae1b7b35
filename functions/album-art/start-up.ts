/**
 * The album-art surface a function needs at start: its configuration, the outbox collection's name
 * and the job event's type. The first two live below the capability (platform/album-art-config.ts,
 * read by the configuration; adapters/firestore/stored-names.ts, where the asset writes put jobs
 * too) and are re-exported here. index.ts re-exports all of it; this second, small entry
 * exists so the API's cold start does not load the rest of the module (requests, outbox relay, job
 * and variant-set schemas) before its first answer (test/domain/module-graph.test.ts).
 */
export { OUTBOX_COLLECTION } from '../adapters/firestore/stored-names.js';

export const PUBSUB_EVENT_TYPE = 'google.cloud.pubsub.topic.v1.messagePublished';
