/** A fresh Pub/Sub topic of the emulator with a subscription that collects what is published to it. */
import type { Message, PubSub } from '@google-cloud/pubsub';

export interface TopicCollector {
  received: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function collectingTopic(client: PubSub, name: string): Promise<TopicCollector> {
  const [topic] = await client.createTopic(name);
  const [subscription] = await topic.createSubscription(`${name}-collect`);
  const received: Array<Record<string, unknown>> = [];
  subscription.on('message', (message: Message) => {
    received.push(JSON.parse(message.data.toString('utf8')) as Record<string, unknown>);
    message.ack();
  });
  return { received, close: () => subscription.close() };
}
