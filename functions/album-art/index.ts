/**
 * The album-art capability's public surface: everything outside functions/album-art/ imports from
 * here (eslint.config.js enforces it). The processor itself is not here: functions/index.ts loads
 * `process-album-art.js` lazily on the first job, so the API's start never loads image code.
 */
export { OUTBOX_COLLECTION } from './start-up.js';
export { ALBUM_ART_LAYER, albumArtJobMessage, albumArtSourceOf, withPendingAlbumArt, type AlbumArtJob } from './album-art-job.js';
export { AlbumArtRequests } from './album-art-requests.js';
export { transition, type StatusChange } from './album-art-status.js';
export { changeThroughUpdate } from './status-change.js';
export { ContentAddressedAlbumArtFiles } from './album-art-files.js';
export { FirestoreAlbumArtStore } from './adapters/firestore-album-art-store.js';
export { FirestoreOutbox } from './adapters/firestore-outbox.js';
export { jobEventSchema, pushAsEvent } from './job-event.js';
export { VARIANTS_PREFIX, originalName, sha256OfOriginal, variantFolder, variantManifestName } from './object-names.js';
export { OutboxRelay } from './outbox-relay.js';
export type { AlbumArtChangeOutcome, AlbumArtDecision, AlbumArtStore } from './ports/album-art-store.js';
export { PubSubPublisher } from './adapters/pubsub-publisher.js';
export { completionOf, parseVariantSet, type RenderedVariantSet, type VariantSet } from './variant-set.js';
