import { z } from 'zod';
import { readinessSchema, type ReadinessProbe } from '../../operations/health/readiness.js';
import { statusOfKind } from '../error-response.js';
import type { RouteResult } from '../http-types.js';
import type { Route } from '../router.js';
import { HEALTH } from '../endpoints.js';

const healthSchema = z.object({ status: z.literal('ok'), service: z.string(), time: z.string() }).meta({ id: 'Health' });

/**
 * The envelope plus a top-level `status: "healthy"`: the web frontend probes this path and fakes
 * registrations unless it reads exactly that (liveness only: readiness is /api/health/ready).
 */
const healthBodySchema = z.object({ success: z.literal(true), data: healthSchema, status: z.literal('healthy') }).meta({ id: 'HealthBody' });

export function healthRoutes(readiness?: ReadinessProbe): Route[] {
  const routes: Route[] = [
    {
      ...HEALTH.live,
      access: 'public',
      summary: 'Liveness: answers without touching any dependency',
      response: healthSchema,
      rawResponse: healthBodySchema,
      handler: async () => ({
        raw: { success: true, data: { status: 'ok', service: 'nna-registry-api', time: new Date().toISOString() }, status: 'healthy' },
      }),
    },
  ];
  if (readiness) {
    routes.push({
      ...HEALTH.ready,
      access: 'public',
      summary: 'Readiness: probes each dependency and reports its status and latency; 503 when a required one is down',
      // 503 carries this same report (not the error envelope), so it is described here, not in `errors`.
      response: readinessSchema,
      otherResponses: { 503: { description: 'Not ready: a required dependency is down (the same report; Retry-After)', schema: readinessSchema } },
      handler: async (): Promise<RouteResult> => {
        const report = await readiness.probe();
        // A not-ready service still answers with the full report, under the status of "unavailable".
        if (report.status === 'ready') return { data: report, headers: { 'Cache-Control': 'no-store' } };
        return { status: statusOfKind('unavailable'), data: report, headers: { 'Cache-Control': 'no-store', 'Retry-After': '5' } };
      },
    });
  }
  return routes;
}
