/**
 * The names of what the registry stores in Firestore: its collections and the fields its queries
 * and transactions name by path. Every adapter, the importer and the scripts take them from here.
 * The assets collection itself is configured (ASSETS_COLLECTION, platform/config.ts); its companions
 * are named after it, so a second registry in one database (a rehearsal) keeps its own.
 */

/** Where deleted assets wait for restore or purge (a TTL policy covers their `expireAt`). */
export function deletedCollectionOf(assetsCollection: string): string {
  return `${assetsCollection}_deleted`;
}

/** Where each taxonomy path's counter (`{ last }`, the last number given out) lives. */
export function sequencesCollectionOf(assetsCollection: string): string {
  return `${assetsCollection}_sequences`;
}

/**
 * The album-art outbox. Two adapters write it: the asset writes (a job in the asset's own commit)
 * and the album-art module's outbox (claims and redrives).
 */
export const OUTBOX_COLLECTION = 'album_art_outbox';

/** Each asset's history entries, in a subcollection of its document. */
export const HISTORY_SUBCOLLECTION = 'history';

/** Idempotency keys, one document per scoped key. */
export const IDEMPOTENCY_COLLECTION = 'idempotency_keys';

/** Sign-in attempt windows (the throttle), one document per key and window. */
export const SIGN_IN_THROTTLE_COLLECTION = 'sign_in_throttle';

/** The album-art downloads' budget per host and minute, one document per host and window. */
export const HOST_RATE_LIMIT_COLLECTION = 'album_art_rate_limits';

/** The import's run checkpoint (`npm run import`), one document per assets collection. */
export const IMPORTS_COLLECTION = 'imports';

/** Fields of an asset document that queries and transactions name by path. */
export const ASSET_FIELDS = {
  name: 'name',
  address: 'nna_address',
  hfn: '_sys.hfn',
  mfa: '_sys.mfa',
  /** A composite's components as the old backend's letter-form addresses (older composites: HFNs). */
  components: 'components',
  /** A composite's components as base HFNs. */
  componentHfns: '_sys.components',
  /** Components an admin deleted while the composite named them. */
  deletedComponents: 'deletedComponents',
  albumArtKey: 'albumArt.sha256',
  /** Before content-addressed album art, the original's hash was its key. */
  originalAlbumArtKey: 'albumArt.original.sha256',
  importedAt: '_sys.imported.importedAt',
} as const;

/** Fields of a deleted asset's record: the asset's document untouched under `asset`, the deletion beside it. */
export const DELETED_FIELDS = {
  asset: 'asset',
  deletedBy: 'deletedBy',
  deletedAt: 'deletedAt',
  purgeAt: 'purgeAt',
  /** The TTL policy's field: the database removes the record at this time if the sweep never did. */
  expireAt: 'expireAt',
  reason: 'reason',
  forcedComposites: 'forcedComposites',
} as const;

/** A sequence counter's one field: the last number its path gave out. */
export const COUNTER_LAST_FIELD = 'last';
