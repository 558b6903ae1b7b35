/**
 * The album-art outbox's collection. Two adapters write it: the asset repository (a job in the
 * asset's own commit) and the album-art module's outbox (claims and redrives), so its name lives
 * here, below both.
 */
export const OUTBOX_COLLECTION = 'album_art_outbox';
