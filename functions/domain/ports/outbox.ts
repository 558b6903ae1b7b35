/**
 * The transactional outbox: a message written in the same transaction as the change that causes it,
 * published after the commit and removed once published. A message whose publish was lost (the
 * instance died, Pub/Sub was down) is republished by the redrive; consumers are idempotent.
 */
export interface OutboxMessage {
  /** Also the message's deduplication key (the album-art job id). */
  id: string;
  topic: string;
  data: Record<string, unknown>;
  attributes: Record<string, string>;
  createdAt: string;
}

export interface OutboxStore {
  /** Messages written before `before` (ISO), oldest first. */
  olderThan(before: string, limit: number): Promise<OutboxMessage[]>;
  remove(id: string): Promise<void>;
}

/** Publishes one message to a topic; resolves once the topic has accepted it. */
export interface MessagePublisher {
  publish(topic: string, data: Record<string, unknown>, attributes: Record<string, string>): Promise<string>;
}
