/**
 * The album-art surface a function needs at start: its configuration, the outbox collection's name
 * (the asset repository writes jobs there in the asset's own commit) and the job event's type.
 * index.ts re-exports all of it; this second, small entry exists so the API's cold start does not
 * load the rest of the module (requests, outbox relay, job and variant-set schemas) before its
 * first answer (test/domain/module-graph.test.ts).
 */
export { albumArtConfigOf, albumArtEnvironment, AlbumArtConfigError, type AlbumArtConfig } from './album-art-config.js';

export const OUTBOX_COLLECTION = 'album_art_outbox';

export const PUBSUB_EVENT_TYPE = 'google.cloud.pubsub.topic.v1.messagePublished';
