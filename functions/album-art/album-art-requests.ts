/**
 * Album-art jobs requested through the API: a Songs asset written with a source URL (or the
 * explicit album-art route) gets `albumArt.status = pending` and an outbox message in the same
 * transaction; the message is published right after the commit (the redrive covers a lost publish).
 */
import { randomUUID } from 'node:crypto';
import { ALBUM_ART_LAYER, albumArtJobMessage, albumArtSourceOf, withPendingAlbumArt } from './album-art-job.js';
import { FeatureDisabledError } from '../domain/errors.js';
import type { OutboxWrites } from '../domain/ports/asset-writes.js';
import type { FeatureFlags } from '../domain/ports/feature-flags.js';
import type { StoredAsset, StoredAssetDocument } from '../domain/stored-asset.js';
import type { OutboxRelay } from './outbox-relay.js';

export interface AlbumArtRequestDependencies {
  flags: FeatureFlags;
  relay: OutboxRelay;
  topic: string;
}

/** One write's album-art job: what to do to the document, what to commit with it, what to publish after. */
export interface AlbumArtJobPlan {
  readonly jobId: string;
  /** The document as it should be written (pending album art when the rule applies). */
  apply(document: StoredAssetDocument, previous?: StoredAssetDocument): StoredAssetDocument;
  readonly outbox: OutboxWrites;
  /** Publishes the job after the commit, if the write made one. */
  publish(written: StoredAsset): Promise<void>;
}

export class AlbumArtRequests {
  constructor(private readonly deps: AlbumArtRequestDependencies) {}

  isEnabled(): Promise<boolean> {
    return this.deps.flags.isEnabled('ALBUM_ART_PIPELINE');
  }

  /** Refuses explicit album-art requests while the pipeline is off. */
  async requireEnabled(what: string): Promise<void> {
    if (!(await this.isEnabled())) {
      throw new FeatureDisabledError('ALBUM_ART_PIPELINE', `${what} cannot be requested while the ALBUM_ART_PIPELINE feature is off`);
    }
  }

  /**
   * The plan for a create or update. `force` makes a new job whatever the asset had (the explicit
   * route); otherwise a Songs asset gets a job when its source URL is new or its last job failed.
   */
  async plan(now: string, options: { force?: boolean } = {}): Promise<AlbumArtJobPlan> {
    const enabled = await this.isEnabled();
    const jobId = randomUUID();
    const { relay, topic } = this.deps;
    return {
      jobId,
      apply(document, previous) {
        if (!enabled || document.layer !== ALBUM_ART_LAYER) return document;
        const source = albumArtSourceOf(document);
        if (!source) return document;
        const before = previous?.albumArt;
        const unchanged = before?.sourceUrl === source && before.status !== undefined && before.status !== 'failed';
        if (unchanged && !options.force) return document;
        return withPendingAlbumArt(document, source, jobId, now) ?? document;
      },
      outbox(written) {
        const message = albumArtJobMessage(written, jobId, topic, now);
        return message ? [message] : [];
      },
      async publish(written) {
        const message = albumArtJobMessage(written, jobId, topic, now);
        if (message) await relay.deliver(message);
      },
    };
  }
}
