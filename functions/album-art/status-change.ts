import type { AlbumArt } from '../domain/schemas/album-art.js';
import { transition, type StatusChange, type TransitionOutcome } from './album-art-status.js';
import type { AlbumArtChangeOutcome, AlbumArtStore } from './ports/album-art-store.js';

/**
 * `AlbumArtStore.change` in terms of its `update`: the change built from the current album art goes
 * through the status machine, and is written only when it applies. Every store applies changes so.
 */
export async function changeThroughUpdate(
  store: Pick<AlbumArtStore, 'update'>,
  assetId: string,
  build: (current: AlbumArt | undefined) => StatusChange,
): Promise<AlbumArtChangeOutcome> {
  const outcome = await store.update<TransitionOutcome>(assetId, (current) => {
    const result = transition(current, build(current));
    return result.applied ? { result, write: result.albumArt } : { result };
  });
  return outcome ?? { applied: false, reason: 'missing-asset' };
}
