/**
 * The envelope of `processAlbumArt`: a Pub/Sub `messagePublished` CloudEvent (push delivery). Light
 * (zod only), so functions/index.ts validates requests with it before any pipeline code loads.
 */
import { z } from 'zod';
import { cloudEventSchema } from '../platform/event-function.js';
import { albumArtJobSchema, type AlbumArtJob } from './album-art-job.js';
import { PUBSUB_EVENT_TYPE } from './start-up.js';

export const jobEventSchema = cloudEventSchema(
  PUBSUB_EVENT_TYPE,
  z.looseObject({
    message: z.looseObject({
      data: z.string(),
      messageId: z.string().optional(),
      attributes: z.record(z.string(), z.string()).optional(),
    }),
    subscription: z.string().optional(),
  }),
);

export type JobEvent = z.infer<typeof jobEventSchema>;

/** The job a message holds, or undefined when its data is not a job (acknowledged: it never will be). */
export function jobOf(event: JobEvent): AlbumArtJob | undefined {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(event.data.message.data, 'base64').toString('utf8'));
  } catch {
    // Not JSON: reported by the caller as a malformed job.
    return undefined;
  }
  const parsed = albumArtJobSchema.safeParse(decoded);
  return parsed.success ? parsed.data : undefined;
}

/**
 * A raw Pub/Sub push (`{message, subscription}` POSTed to `/projects/{p}/topics/{t}`, as the emulator
 * sends it) as the CloudEvent Eventarc would deliver; any other body is returned unchanged.
 */
export function pushAsEvent(body: unknown, path: string): unknown {
  const push = z
    .object({ message: z.looseObject({ messageId: z.string().optional(), publishTime: z.string().optional() }), subscription: z.string() })
    .safeParse(body);
  if (!push.success) return body;
  const topic = /projects\/[^/]+\/topics\/[^/]+/.exec(path)?.[0] ?? push.data.subscription;
  return {
    specversion: '1.0',
    id: push.data.message.messageId ?? push.data.subscription,
    source: `//pubsub.googleapis.com/${topic}`,
    type: PUBSUB_EVENT_TYPE,
    ...(push.data.message.publishTime ? { time: push.data.message.publishTime } : {}),
    data: body,
  };
}
