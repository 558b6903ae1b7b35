/**
 * The album art of assets in memory, as the Firestore album-art store keeps it on the asset
 * documents: a change is decided on the current album art and written with a history entry, the
 * asset's other fields left alone. Calls are served one at a time, so concurrent writers never lose
 * each other's facts here either.
 */
import {
  changeThroughUpdate,
  type AlbumArtChangeOutcome,
  type AlbumArtDecision,
  type AlbumArtStore,
  type StatusChange,
} from '../../../functions/album-art/index.js';
import type { AlbumArt } from '../../../functions/domain/schemas/album-art.js';

export class InMemoryAlbumArtStore implements AlbumArtStore {
  private readonly assets = new Map<string, Record<string, unknown>>();
  private readonly history = new Map<string, number>();

  /** An asset document as the API would have stored it. */
  put(assetId: string, document: Record<string, unknown>): void {
    this.assets.set(assetId, structuredClone(document));
  }

  stored(assetId: string): Record<string, unknown> | undefined {
    const document = this.assets.get(assetId);
    return document && structuredClone(document);
  }

  historyCount(assetId: string): number {
    return this.history.get(assetId) ?? 0;
  }

  current(assetId: string): Promise<AlbumArt | undefined | null> {
    const document = this.assets.get(assetId);
    return Promise.resolve(document ? this.albumArtOf(document) : null);
  }

  change(assetId: string, build: (current: AlbumArt | undefined) => StatusChange): Promise<AlbumArtChangeOutcome> {
    return changeThroughUpdate(this, assetId, build);
  }

  update<T>(assetId: string, decide: (current: AlbumArt | undefined) => AlbumArtDecision<T>): Promise<T | null> {
    const document = this.assets.get(assetId);
    if (!document) return Promise.resolve(null);
    const decision = decide(this.albumArtOf(document));
    if (decision.write) {
      document['albumArt'] = structuredClone(decision.write);
      this.history.set(assetId, this.historyCount(assetId) + 1);
    }
    return Promise.resolve(decision.result);
  }

  waitingFor(sha256: string): Promise<string[]> {
    const waiting = [...this.assets].filter(([, document]) => {
      const albumArt = this.albumArtOf(document);
      return albumArt?.sha256 === sha256 && albumArt.status === 'stored';
    });
    return Promise.resolve(waiting.map(([id]) => id));
  }

  private albumArtOf(document: Record<string, unknown>): AlbumArt | undefined {
    const albumArt = document['albumArt'] as AlbumArt | undefined;
    return albumArt && structuredClone(albumArt);
  }
}
