/**
 * Structured logging in Cloud Logging's JSON format: one JSON object per line on stdout, with
 * `severity`, `message`, labels and the trace, which Cloud Logging's agent turns into log entries.
 *
 * A request or event runs inside `runWithLogContext`, so code deep below the handler that logs with
 * the process logger still carries the request's trace, span and labels (AsyncLocalStorage follows
 * the async calls of that request and of nothing else).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR' | 'CRITICAL';

const RANK: Record<Severity, number> = { DEBUG: 0, INFO: 1, NOTICE: 2, WARNING: 3, ERROR: 4, CRITICAL: 5 };

/** Error Reporting groups ERROR entries carrying this type and a stack trace. */
const REPORTED_ERROR_EVENT = 'type.googleapis.com/google.devtools.clouderrorreporting.v1beta1.ReportedErrorEvent';

type LogFields = Record<string, unknown>;

/** The trace of a request in Cloud Logging's form (`projects/P/traces/T`), its span and sampling. */
export interface TraceContext {
  trace: string;
  spanId?: string;
  sampled?: boolean;
}

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  notice(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose entries carry these labels (function, asset id, job id) and, if given, a trace. */
  child(labels: Record<string, string>, trace?: string | TraceContext): Logger;
}

export type LogSink = (line: string) => void;

interface LogContext {
  labels: Record<string, string>;
  trace: TraceContext | undefined;
}

const contextStorage = new AsyncLocalStorage<LogContext>();

/** Runs `work` so that every entry logged while it runs carries these labels and this trace. */
export function runWithLogContext<T>(labels: Record<string, string>, trace: TraceContext | undefined, work: () => T): T {
  const outer = contextStorage.getStore();
  return contextStorage.run({ labels: { ...outer?.labels, ...labels }, trace: trace ?? outer?.trace }, work);
}

const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** Errors do not serialize to JSON on their own; keep their name, message and stack for the log. */
function plain(value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack };
  }
  return value;
}

function asTraceContext(trace: string | TraceContext | undefined): TraceContext | undefined {
  return typeof trace === 'string' ? { trace } : trace;
}

class StructuredLogger implements Logger {
  constructor(
    private readonly minimum: Severity,
    private readonly labels: Record<string, string>,
    private readonly trace: TraceContext | undefined,
    private readonly sink: LogSink,
  ) {}

  private write(severity: Severity, message: string, fields: LogFields = {}): void {
    if (RANK[severity] < RANK[this.minimum]) return;
    const context = contextStorage.getStore();
    const entry: Record<string, unknown> = { severity, message, time: new Date().toISOString() };
    for (const [key, value] of Object.entries(fields)) entry[key] = plain(value);
    const error = fields['error'];
    if (RANK[severity] >= RANK.ERROR && error instanceof Error && error.stack) {
      entry['@type'] = REPORTED_ERROR_EVENT;
      entry['stack_trace'] = error.stack;
    }
    const labels = { ...context?.labels, ...this.labels };
    if (Object.keys(labels).length > 0) entry['logging.googleapis.com/labels'] = labels;
    const trace = this.trace ?? context?.trace;
    if (trace) {
      entry['logging.googleapis.com/trace'] = trace.trace;
      if (trace.spanId) entry['logging.googleapis.com/spanId'] = trace.spanId;
      if (trace.sampled !== undefined) entry['logging.googleapis.com/trace_sampled'] = trace.sampled;
    }
    this.sink(JSON.stringify(entry));
  }

  debug(message: string, fields?: LogFields): void {
    this.write('DEBUG', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.write('INFO', message, fields);
  }
  notice(message: string, fields?: LogFields): void {
    this.write('NOTICE', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.write('WARNING', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.write('ERROR', message, fields);
  }
  child(labels: Record<string, string>, trace?: string | TraceContext): Logger {
    return new StructuredLogger(this.minimum, { ...this.labels, ...labels }, asTraceContext(trace) ?? this.trace, this.sink);
  }
}

export function createLogger(minimum: Severity = 'INFO', labels: Record<string, string> = {}, sink: LogSink = stdoutSink): Logger {
  return new StructuredLogger(minimum, labels, undefined, sink);
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * The trace of an incoming request, from the W3C `traceparent` header or the older
 * `X-Cloud-Trace-Context` (`TRACE/SPAN;o=1`, span in decimal), with its span id in 16 hex digits.
 */
export function traceContextFromHeaders(projectId: string, headers: Headers): TraceContext | undefined {
  const traceparent = headers['traceparent'];
  const w3c = typeof traceparent === 'string' ? /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/.exec(traceparent.trim()) : null;
  if (w3c) {
    return { trace: `projects/${projectId}/traces/${w3c[1]}`, spanId: w3c[2]!, sampled: (Number.parseInt(w3c[3]!, 16) & 1) === 1 };
  }
  const cloud = headers['x-cloud-trace-context'];
  const legacy = typeof cloud === 'string' ? /^([\da-f]{32})(?:\/(\d{1,20}))?(?:;o=([01]))?/.exec(cloud.trim()) : null;
  if (!legacy) return undefined;
  const context: TraceContext = { trace: `projects/${projectId}/traces/${legacy[1]}` };
  if (legacy[2] !== undefined) context.spanId = BigInt.asUintN(64, BigInt(legacy[2])).toString(16).padStart(16, '0');
  if (legacy[3] !== undefined) context.sampled = legacy[3] === '1';
  return context;
}
