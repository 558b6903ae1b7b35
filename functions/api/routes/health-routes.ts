import { z } from 'zod';
import type { Route } from '../router.js';

const healthSchema = z.object({ status: z.literal('ok'), service: z.string(), time: z.string() }).meta({ id: 'Health' });

export function healthRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/health',
      access: 'public',
      summary: 'Liveness: answers without touching any dependency',
      response: healthSchema,
      handler: async () => ({ data: { status: 'ok', service: 'nna-registry-api', time: new Date().toISOString() } }),
    },
  ];
}
