/**
 * The small part of the album-art surface a function needs at start, without loading the rest of
 * the module (requests, outbox relay, job and variant-set schemas; test/domain/module-graph.test.ts
 * keeps it so): the outbox collection's name (defined below the capability in
 * adapters/firestore/stored-names.ts, since the asset writes put jobs there too) and the CloudEvent
 * type of a Pub/Sub push, which the processAlbumArt entry point and job-event.ts check. index.ts
 * re-exports the collection's name.
 */
export { OUTBOX_COLLECTION } from '../adapters/firestore/stored-names.js';

export const PUBSUB_EVENT_TYPE = 'google.cloud.pubsub.topic.v1.messagePublished';
