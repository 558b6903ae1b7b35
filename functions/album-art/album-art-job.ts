/**
 * Album-art jobs as the API and the backfill create them: which assets get one, the message that
 * goes to the album-art topic, and the `pending` change recorded on the asset in the same write.
 */
import { z } from 'zod';
import { isStorableDocumentId } from '../domain/asset-id.js';
import { transition } from './album-art-status.js';
import type { OutboxMessage } from '../domain/ports/outbox.js';
import type { StoredAsset, StoredAssetDocument } from '../domain/stored-asset.js';

/** The message on the album-art topic; `requestId` is the job id every status change carries. */
export const albumArtJobSchema = z.object({
  assetId: z.string().min(1).max(200).refine(isStorableDocumentId, 'is not a document id'),
  sourceUrl: z.string().min(1).max(2048),
  requestId: z.string().min(1).max(200),
});

export type AlbumArtJob = z.infer<typeof albumArtJobSchema>;

/** Album art belongs to Songs. */
export const ALBUM_ART_LAYER = 'G';

/** Where an asset's album art comes from: `albumArt.sourceUrl`, or the old clients' `metadata.albumArtUrl`. */
export function albumArtSourceOf(document: StoredAssetDocument): string | undefined {
  const fromAlbumArt = document.albumArt?.sourceUrl;
  if (typeof fromAlbumArt === 'string' && fromAlbumArt.trim() !== '') return fromAlbumArt.trim();
  const legacy = (document.metadata as Record<string, unknown> | undefined)?.['albumArtUrl'];
  return typeof legacy === 'string' && legacy.trim() !== '' ? legacy.trim() : undefined;
}

/**
 * The document with album art pending for a new job, or undefined when the transition is refused
 * (it cannot be for a new job id; kept total so callers never write a half-made change).
 */
export function withPendingAlbumArt(document: StoredAssetDocument, sourceUrl: string, jobId: string, now: string): StoredAssetDocument | undefined {
  const outcome = transition(document.albumArt, { status: 'pending', jobId, at: now, fields: { sourceUrl, attempts: 0 } });
  if (!outcome.applied) return undefined;
  const albumArt = { ...outcome.albumArt };
  delete albumArt.original;
  delete albumArt.scanned;
  return { ...document, albumArt };
}

/** The outbox message of an asset whose album art is pending for this job, if it is. */
export function albumArtJobMessage(asset: StoredAsset, jobId: string, topic: string, now: string): OutboxMessage | undefined {
  const albumArt = asset.document.albumArt;
  if (albumArt?.jobId !== jobId || albumArt.status !== 'pending' || !albumArt.sourceUrl) return undefined;
  const job: AlbumArtJob = { assetId: asset.id, sourceUrl: albumArt.sourceUrl, requestId: jobId };
  return { id: jobId, topic, data: job, attributes: { assetId: asset.id, jobId }, createdAt: now };
}
