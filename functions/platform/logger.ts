/**
 * Structured logging in Cloud Logging's JSON format: one JSON object per line on stdout, with
 * `severity`, `message`, labels and the trace, which Cloud Logging's agent turns into log entries.
 */
export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR' | 'CRITICAL';

const RANK: Record<Severity, number> = { DEBUG: 0, INFO: 1, NOTICE: 2, WARNING: 3, ERROR: 4, CRITICAL: 5 };

export type LogFields = Record<string, unknown>;

export interface HttpRequestLog {
  requestMethod: string;
  requestUrl: string;
  status: number;
  latency: string;
  userAgent?: string;
  remoteIp?: string;
  requestSize?: string;
  responseSize?: string;
}

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  notice(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose entries carry these labels (function, asset id, job id) and, if given, a trace. */
  child(labels: Record<string, string>, trace?: string): Logger;
}

export type LogSink = (line: string) => void;

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

class StructuredLogger implements Logger {
  constructor(
    private readonly minimum: Severity,
    private readonly labels: Record<string, string>,
    private readonly trace: string | undefined,
    private readonly sink: LogSink,
  ) {}

  private write(severity: Severity, message: string, fields: LogFields = {}): void {
    if (RANK[severity] < RANK[this.minimum]) return;
    const entry: Record<string, unknown> = { severity, message, time: new Date().toISOString() };
    for (const [key, value] of Object.entries(fields)) entry[key] = plain(value);
    if (Object.keys(this.labels).length > 0) entry['logging.googleapis.com/labels'] = this.labels;
    if (this.trace) entry['logging.googleapis.com/trace'] = this.trace;
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
  child(labels: Record<string, string>, trace?: string): Logger {
    return new StructuredLogger(this.minimum, { ...this.labels, ...labels }, trace ?? this.trace, this.sink);
  }
}

export function createLogger(minimum: Severity = 'INFO', labels: Record<string, string> = {}, sink: LogSink = stdoutSink): Logger {
  return new StructuredLogger(minimum, labels, undefined, sink);
}

/**
 * The trace of an incoming request in Cloud Logging's form (`projects/P/traces/T`), from the W3C
 * `traceparent` header or the older `X-Cloud-Trace-Context`.
 */
export function traceFromHeaders(projectId: string, headers: Record<string, string | string[] | undefined>): string | undefined {
  const traceparent = headers['traceparent'];
  const w3c = typeof traceparent === 'string' ? /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent.trim()) : null;
  if (w3c) return `projects/${projectId}/traces/${w3c[1]}`;
  const cloud = headers['x-cloud-trace-context'];
  const legacy = typeof cloud === 'string' ? /^([\da-f]{32})(?:\/|$)/.exec(cloud.trim()) : null;
  return legacy ? `projects/${projectId}/traces/${legacy[1]}` : undefined;
}
