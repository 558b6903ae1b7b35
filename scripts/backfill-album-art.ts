/**
 * `npm run backfill:album-art [-- --yes] [--limit N]`: album-art jobs for existing Songs assets that
 * have a source URL (`albumArt.sourceUrl` or `metadata.albumArtUrl`) and no stored art. A dry run by
 * default (lists what it would queue); `--yes` queues them through the outbox and publishes, after
 * republishing outbox messages older than ALBUM_ART_REDRIVE_AFTER_MS (the redrive). Idempotent:
 * assets already stored, ready, or pending/processing for the same source URL are skipped. `--limit`
 * bounds how many jobs one run can enqueue (default 500), and the ALBUM_ART_PIPELINE flag stops it.
 */
import { FieldPath, type DocumentSnapshot } from '@google-cloud/firestore';
import { randomUUID } from 'node:crypto';
import {
  ALBUM_ART_LAYER,
  albumArtJobMessage,
  albumArtSourceOf,
  FirestoreOutbox,
  OUTBOX_COLLECTION,
  OutboxRelay,
  PubSubPublisher,
  withPendingAlbumArt,
} from '../functions/album-art/index.js';
import type { OutboxMessage } from '../functions/domain/ports/outbox.js';
import type { StoredAssetDocument } from '../functions/domain/stored-asset.js';
import { getConfig } from '../functions/platform/config.js';
import { createLogger } from '../functions/platform/logger.js';
import { createRuntime } from '../functions/runtime.js';

const PAGE = 200;

interface Options {
  apply: boolean;
  limit: number;
}

function parseArguments(args: string[]): Options {
  const options: Options = { apply: false, limit: 500 };
  for (let index = 0; index < args.length; index++) {
    const argument = args[index]!;
    if (argument === '--yes') options.apply = true;
    else if (argument === '--limit') options.limit = Number(args[++index]);
    else throw new Error(`Unknown argument ${argument}; use --yes and --limit N`);
  }
  if (!Number.isInteger(options.limit) || options.limit < 1) throw new Error('--limit must be a positive whole number');
  return options;
}

/** Why an asset needs no job, or undefined when it needs one. */
function skipReason(document: StoredAssetDocument): string | undefined {
  const source = albumArtSourceOf(document);
  if (!source) return 'no source URL';
  const albumArt = document.albumArt;
  if (albumArt?.status === 'stored' || albumArt?.status === 'ready') return `already ${albumArt.status}`;
  if ((albumArt?.status === 'pending' || albumArt?.status === 'processing') && albumArt.sourceUrl === source) return `already ${albumArt.status}`;
  return undefined;
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const config = getConfig();
  const logger = createLogger(config.logLevel).child({ function: 'backfill-album-art' });
  // The functions' own composition root: the same Firestore client and flags as the API.
  const runtime = createRuntime(config, logger);
  const db = runtime.firestore();
  if (!(await runtime.flags().isEnabled('ALBUM_ART_PIPELINE'))) {
    throw new Error('ALBUM_ART_PIPELINE is off: the backfill does nothing (turn the flag on to run it)');
  }
  const assets = db.collection(config.assetsCollection);
  const outbox = db.collection(OUTBOX_COLLECTION);
  const relay = new OutboxRelay(new FirestoreOutbox(db, config.firestoreDeadlineMs), new PubSubPublisher(config.projectId), logger);
  if (options.apply) {
    const redriven = await relay.redrive(config.albumArt.redriveAfterMs);
    console.log(`redrive: ${redriven} outbox message(s) republished`);
  }

  let scanned = 0;
  let queued = 0;
  let skipped = 0;
  let cursor: DocumentSnapshot | undefined;
  const progress = (): void => {
    process.stdout.write(`\r${options.apply ? 'queued' : 'would queue'} ${queued}, skipped ${skipped}, of ${scanned} Songs assets`);
  };
  outer: for (;;) {
    let query = assets.where('layer', '==', ALBUM_ART_LAYER).orderBy(FieldPath.documentId()).limit(PAGE);
    if (cursor) query = query.startAfter(cursor);
    const page = await query.get();
    for (const snapshot of page.docs) {
      scanned++;
      if (skipReason(snapshot.data() as StoredAssetDocument) !== undefined) {
        skipped++;
      } else if (queued >= options.limit) {
        console.log(`\nlimit of ${options.limit} jobs reached; run again to continue`);
        break outer;
      } else if (!options.apply) {
        queued++;
      } else {
        const message = await enqueue(snapshot.id);
        if (message) {
          await relay.deliver(message);
          queued++;
        } else {
          skipped++;
        }
      }
      progress();
    }
    if (page.size < PAGE) break;
    cursor = page.docs.at(-1);
  }
  progress();
  console.log(options.apply ? '\ndone' : '\ndry run: nothing was changed; run with --yes to queue these jobs');

  /** Marks one asset pending and writes its outbox message in one transaction (rechecked inside). */
  async function enqueue(id: string): Promise<OutboxMessage | undefined> {
    const jobId = randomUUID();
    const now = new Date().toISOString();
    return db.runTransaction(async (transaction) => {
      const snapshot = await transaction.get(assets.doc(id));
      const document = snapshot.data() as StoredAssetDocument | undefined;
      if (!document || skipReason(document) !== undefined) return undefined;
      const next = withPendingAlbumArt(document, albumArtSourceOf(document)!, jobId, now);
      const message = next && albumArtJobMessage({ id, document: next }, jobId, config.albumArt.topic, now);
      if (!next || !message) return undefined;
      transaction.update(assets.doc(id), { albumArt: next.albumArt });
      transaction.set(outbox.doc(message.id), message);
      return message;
    });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
