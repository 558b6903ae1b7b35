/**
 * Runs one event function invocation observably: its log entries carry the function, the job or
 * asset labels and the trace; it logs one line with its outcome and duration; and the metrics it
 * recorded are flushed before it returns (an event function's instance may be idle right after).
 */
import { runWithLogContext, type Logger, type TraceContext } from './logger.js';

export interface ObservedEvent {
  /** The function's name, the `function` label of its entries. */
  name: string;
  logger: Logger;
  labels?: Record<string, string>;
  trace?: TraceContext;
  /** Writes buffered metric aggregates; a failure is logged, never thrown over the event's result. */
  flush?: () => Promise<void>;
}

export async function observeEvent<T>(event: ObservedEvent, work: () => Promise<T>): Promise<T> {
  const labels = { function: event.name, ...event.labels };
  return runWithLogContext(labels, event.trace, async () => {
    const started = performance.now();
    let outcome: 'ok' | 'error' = 'error';
    let failure: unknown;
    try {
      const result = await work();
      outcome = 'ok';
      return result;
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      const durationMs = Math.round((performance.now() - started) * 100) / 100;
      if (outcome === 'ok') event.logger.info(`${event.name} finished`, { outcome, durationMs });
      else event.logger.error(`${event.name} failed`, { outcome, durationMs, error: failure });
      try {
        await event.flush?.();
      } catch (error) {
        // The event's own result matters more than the aggregates; the log-based metrics still have it.
        event.logger.warn('metrics flush after the event failed', { error });
      }
    }
  });
}
