/**
 * The album-art topics and subscriptions on the Pub/Sub emulator, shared by `npm start` and the
 * tests (production creates the same resources in infra/): the job topic with a push subscription
 * to the processAlbumArt function, a retry policy and a dead-letter policy, and the dead-letter
 * topic with its own pull subscription (a topic without a subscription loses its messages).
 */
import { PubSub, type Topic } from '@google-cloud/pubsub';
import { DEFAULT_TOPICS } from '../../functions/platform/resource-names.js';

export interface AlbumArtPubSubOptions {
  projectId: string;
  /** The emulator's host:port (default: PUBSUB_EMULATOR_HOST of this process). */
  emulatorHost?: string;
  /** Base URL of the functions-framework server running processAlbumArt. */
  functionUrl: string;
  maxDeliveryAttempts?: number;
  topic?: string;
  deadLetterTopic?: string;
  /** Retry backoff bounds in seconds; the emulator may not honour them. */
  minimumBackoffSeconds?: number;
  maximumBackoffSeconds?: number;
}

export interface AlbumArtPubSub {
  client: PubSub;
  topic: Topic;
  deadLetterTopic: Topic;
  pushSubscription: string;
  deadLetterSubscription: string;
  close(): Promise<void>;
}

async function ensureTopic(client: PubSub, name: string): Promise<Topic> {
  const topic = client.topic(name);
  const [exists] = await topic.exists();
  if (!exists) await topic.create();
  return topic;
}

/** Creates (or recreates) the resources; idempotent so a restarted stack reuses the emulator state. */
export async function setUpAlbumArtPubSub(options: AlbumArtPubSubOptions): Promise<AlbumArtPubSub> {
  const client = new PubSub({ projectId: options.projectId, ...(options.emulatorHost ? { apiEndpoint: options.emulatorHost, emulatorMode: true } : {}) });
  const topicName = options.topic ?? DEFAULT_TOPICS.albumArtJobs;
  const deadLetterName = options.deadLetterTopic ?? DEFAULT_TOPICS.albumArtDeadLetter;
  const topic = await ensureTopic(client, topicName);
  const deadLetterTopic = await ensureTopic(client, deadLetterName);
  const deadLetterSubscription = `${deadLetterName}-hold`;
  const [deadLetterExists] = await deadLetterTopic.subscription(deadLetterSubscription).exists();
  if (!deadLetterExists) await deadLetterTopic.createSubscription(deadLetterSubscription);
  const pushSubscription = `${topicName}-process-album-art`;
  const existing = topic.subscription(pushSubscription);
  if ((await existing.exists())[0]) await existing.delete();
  await topic.createSubscription(pushSubscription, {
    // functions-framework turns a push to /projects/<project>/topics/<topic> into a CloudEvent.
    pushConfig: { pushEndpoint: `${options.functionUrl}/projects/${options.projectId}/topics/${topicName}` },
    ackDeadlineSeconds: 60,
    retryPolicy: {
      minimumBackoff: { seconds: options.minimumBackoffSeconds ?? 10 },
      maximumBackoff: { seconds: options.maximumBackoffSeconds ?? 600 },
    },
    deadLetterPolicy: { deadLetterTopic: deadLetterTopic.name, maxDeliveryAttempts: options.maxDeliveryAttempts ?? 5 },
  });
  return { client, topic, deadLetterTopic, pushSubscription, deadLetterSubscription, close: () => client.close() };
}
