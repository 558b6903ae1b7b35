import { z } from 'zod';
import type { HealthCheck } from '../../domain/ports/health-check.js';

const dependencyReportSchema = z.object({
  name: z.string(),
  required: z.boolean(),
  status: z.enum(['up', 'down']),
  latencyMs: z.number(),
  error: z.string().optional(),
});

export const readinessSchema = z
  .object({ status: z.enum(['ready', 'not_ready']), checkedAt: z.string(), dependencies: z.array(dependencyReportSchema) })
  .meta({ id: 'Readiness' });

export type Readiness = z.infer<typeof readinessSchema>;
type DependencyReport = z.infer<typeof dependencyReportSchema>;

class CheckTimeout extends Error {}

async function run(check: HealthCheck, timeoutMs: number): Promise<DependencyReport> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check.check(), timeout]);
    return { name: check.name, required: check.required, status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { name: check.name, required: check.required, status: 'down', latencyMs: Math.round(performance.now() - started), error: message.slice(0, 300) };
  } finally {
    clearTimeout(timer);
  }
}

/** Every registered dependency, probed in parallel, each bounded by the timeout. */
export class ReadinessProbe {
  private readonly checks: HealthCheck[] = [];

  constructor(private readonly timeoutMs: number) {}

  /** The lead registers the scanner (and other helpers' dependencies) here at wiring time. */
  register(...checks: HealthCheck[]): this {
    this.checks.push(...checks);
    return this;
  }

  async probe(): Promise<Readiness> {
    const dependencies = await Promise.all(this.checks.map((check) => run(check, this.timeoutMs)));
    const ready = dependencies.every((dependency) => dependency.status === 'up' || !dependency.required);
    return { status: ready ? 'ready' : 'not_ready', checkedAt: new Date().toISOString(), dependencies };
  }
}
