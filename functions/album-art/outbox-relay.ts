/**
 * Moves outbox messages to Pub/Sub: right after the write that created them, and again from the
 * redrive for any message whose first publish was lost. A message is removed only once published,
 * so it is published at least once; the album-art processor is idempotent per job id.
 */
import type { MessagePublisher, OutboxMessage, OutboxStore } from '../domain/ports/outbox.js';
import type { Logger } from '../platform/logger.js';

const REDRIVE_PAGE = 200;
/** How long a write waits for its publish before leaving the message to the redrive. */
const PUBLISH_WAIT_MS = 3000;

class PublishWaitExceeded extends Error {}

function within<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PublishWaitExceeded(`no answer within ${milliseconds} ms`)), milliseconds);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class OutboxRelay {
  constructor(
    private readonly store: OutboxStore,
    private readonly publisher: MessagePublisher,
    private readonly logger: Logger,
  ) {}

  /** Publishes and removes one message. Returns false when it stays for the redrive. */
  async deliver(message: OutboxMessage): Promise<boolean> {
    try {
      // A publish that outlives the wait may still land; the redrive then publishes a duplicate.
      await within(this.publisher.publish(message.topic, message.data, message.attributes), PUBLISH_WAIT_MS);
    } catch (error) {
      // The write already committed with its outbox entry: the redrive publishes it later.
      this.logger.warn('publish failed; the outbox keeps the message for the redrive', { error, messageId: message.id, topic: message.topic });
      return false;
    }
    try {
      await this.store.remove(message.id);
    } catch (error) {
      // Published but still in the outbox: the redrive publishes it again, which consumers tolerate.
      this.logger.warn('outbox entry not removed after publish', { error, messageId: message.id });
    }
    return true;
  }

  /** Republishes every message older than `minAgeMs`; returns how many were published. */
  async redrive(minAgeMs: number, now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - minAgeMs).toISOString();
    let published = 0;
    for (;;) {
      const page = await this.store.olderThan(before, REDRIVE_PAGE);
      let progressed = 0;
      for (const message of page) if (await this.deliver(message)) progressed++;
      published += progressed;
      if (page.length < REDRIVE_PAGE || progressed === 0) break;
    }
    if (published > 0) this.logger.info('outbox redriven', { published });
    return published;
  }
}
