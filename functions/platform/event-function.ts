/**
 * An event function over HTTP. Registered with functions-framework as an HTTP function because its
 * cloudEvent wrapper answers every non-POST with express's 404 page and every request it cannot
 * turn into an event with a 500 and a stack trace in the ERROR log. Here the envelope is validated
 * with zod first: anything that is not this function's event gets 405 (logged as a warning, no
 * stack), nothing is loaded for it, and only a genuine event reaches the (lazily loaded) handler.
 * The envelope's schema itself loads on the first POST, so that no function's start (the API's
 * included: all three share one entry module) builds the event schemas of the others.
 * Eventarc delivers binary-mode CloudEvents (ce-* headers, JSON body); structured mode (the whole
 * event as the JSON body) is accepted too, and a raw Pub/Sub push (the emulator's) through `fromBody`,
 * as functions-framework's own middleware does for cloudEvent functions.
 */
import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import { z } from 'zod';
import type { Logger } from './logger.js';
import { lazyLoad } from './lazy-load.js';

/** A CloudEvent of one type whose data has the given shape. */
export function cloudEventSchema<Data extends z.ZodType>(type: string, data: Data) {
  return z.looseObject({
    specversion: z.literal('1.0'),
    id: z.string().min(1),
    source: z.string().min(1),
    type: z.literal(type),
    subject: z.string().optional(),
    time: z.string().optional(),
    data,
  });
}

/** The CloudEvent a request carries, as functions-framework reads it, before validation. */
function eventOf(request: Request, fromBody: ((body: unknown, path: string) => unknown) | undefined): unknown {
  const headers = request.headers;
  if (headers['ce-type'] !== undefined || headers['ce-id'] !== undefined) {
    const context: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(headers)) if (name.startsWith('ce-')) context[name.slice(3)] = value;
    return { ...context, data: request.body };
  }
  return fromBody ? fromBody(request.body, request.path) : request.body;
}

function refuse(response: Response, status: number, code: string, message: string): void {
  response
    .status(status)
    .set(status === 405 ? { Allow: 'POST' } : {})
    .json({ success: false, error: { code, message } });
}

/** What a request must be to be the function's event. */
interface EventContract<Envelope extends z.ZodType> {
  envelope: Envelope;
  /** Turns a body without ce-* headers into the event it stands for (a raw Pub/Sub push). */
  fromBody?: (body: unknown, path: string) => unknown;
}

export interface EventFunctionOptions<Envelope extends z.ZodType> {
  name: string;
  /** The event type the function serves, for the 405 message. */
  eventType: string;
  /** Loads the envelope's schema, on the first POST. */
  contract: () => Promise<EventContract<Envelope>>;
  logger: Logger;
  /** Builds the handler on the first event (image code loads then, not at start). */
  load: () => Promise<(event: NoInfer<z.output<Envelope>>) => Promise<void>>;
}

export function eventFunction<Envelope extends z.ZodType>(options: EventFunctionOptions<Envelope>): HttpFunction {
  const handler = lazyLoad(options.load);
  const contract = lazyLoad(options.contract);
  const logger = options.logger.child({ function: options.name });
  return async (request, response) => {
    let parsed: z.ZodSafeParseResult<z.output<Envelope>> | undefined;
    if (request.method === 'POST') {
      const { envelope, fromBody } = await contract();
      parsed = envelope.safeParse(eventOf(request, fromBody));
    }
    if (!parsed?.success) {
      logger.warn('request refused: not this function’s event', { method: request.method, problem: parsed?.error.issues[0]?.message });
      refuse(response, 405, 'NOT_AN_EVENT', `${options.name} accepts only ${options.eventType} CloudEvents delivered by POST`);
      return;
    }
    try {
      await (
        await handler()
      )(parsed.data);
    } catch (error) {
      // Logged by the handler's observeEvent (or here when loading failed); a non-2xx has the event redelivered.
      logger.warn('event not handled; it will be delivered again', { error: error instanceof Error ? error.message : String(error) });
      refuse(response, 500, 'EVENT_NOT_HANDLED', 'The event was not handled and will be delivered again');
      return;
    }
    response.status(204).end();
  };
}
