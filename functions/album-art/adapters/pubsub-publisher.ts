/**
 * Publishes to Pub/Sub (the emulator when PUBSUB_EMULATOR_HOST is set). The client loads on the
 * first publish, so the API's cold start does not pay for it.
 */
import type { PubSub, Topic } from '@google-cloud/pubsub';
import { ServiceUnavailableError } from '../../domain/errors.js';
import type { MessagePublisher } from '../../domain/ports/outbox.js';

export class PubSubPublisher implements MessagePublisher {
  private client: Promise<PubSub> | undefined;
  private readonly topics = new Map<string, Topic>();

  constructor(private readonly projectId: string) {}

  private async topic(name: string): Promise<Topic> {
    this.client ??= import('@google-cloud/pubsub').then(({ PubSub }) => new PubSub({ projectId: this.projectId }));
    const client = await this.client;
    let topic = this.topics.get(name);
    if (!topic) {
      // One message per batch: the caller waits for each publish anyway, and a batch delay only adds latency.
      topic = client.topic(name, { batching: { maxMessages: 1, maxMilliseconds: 0 } });
      this.topics.set(name, topic);
    }
    return topic;
  }

  async publish(topicName: string, data: Record<string, unknown>, attributes: Record<string, string>): Promise<string> {
    const topic = await this.topic(topicName);
    try {
      return await topic.publishMessage({ json: data, attributes });
    } catch (error) {
      throw new ServiceUnavailableError(`Publishing to ${topicName} failed: ${(error as Error).message}`);
    }
  }
}
