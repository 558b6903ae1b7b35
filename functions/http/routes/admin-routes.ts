/** Admin endpoints (admin role): statistics, feature flags and their audit trail, and the status page. */
import { z } from 'zod';
import { ValidationError } from '../../domain/errors.js';
import { FLAG_NAMES } from '../../domain/ports/feature-flags.js';
import { ADMIN_PAGE_CSP, ADMIN_PAGE_HTML } from '../../operations/admin/admin-page.js';
import { flagAuditEntrySchema, flagUpdateSchema, flagsViewSchema, type FlagUpdate } from '../../operations/flags/flag-schemas.js';
import type { ManagedFeatureFlags } from '../../operations/flags/managed-feature-flags.js';
import { statsSchema } from '../../operations/stats/stats-schema.js';
import type { StatsService } from '../../operations/stats/stats-service.js';
import { readBody } from '../request-body.js';
import type { Route } from '../router.js';
import { parseOrThrow } from '../../domain/validation.js';
import { ADMIN, type GetEndpoint } from '../endpoints.js';

const FLAG_BODY_LIMIT = 16 * 1024;

const auditQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export interface AdminRouteDependencies {
  flags: Pick<ManagedFeatureFlags, 'view' | 'update' | 'auditTrail'>;
  stats: Pick<StatsService, 'stats'>;
}

/** Unknown names are refused one by one, by name, before anything is written. */
function assertKnownFlags(fields: Record<string, unknown>): void {
  const unknown = Object.keys(fields).filter((name) => !(FLAG_NAMES as string[]).includes(name));
  if (unknown.length > 0) {
    throw new ValidationError(unknown.map((name) => ({ path: name, issue: `is not a feature flag (known flags: ${FLAG_NAMES.join(', ')})` })));
  }
}

/** An admin's read of an audit trail, newest first, `limit` 1-200. */
export function auditTrailRoute(endpoint: GetEndpoint, summary: string, entrySchema: z.ZodType, trail: (limit: number) => Promise<unknown[]>): Route {
  return {
    ...endpoint,
    access: 'admin',
    summary,
    query: auditQuerySchema,
    response: z.array(entrySchema),
    errors: [400, 401, 403],
    handler: async ({ request }) => {
      const { limit } = parseOrThrow(auditQuerySchema, request.query);
      return { data: await trail(limit), headers: { 'Cache-Control': 'no-store' } };
    },
  };
}

export function adminRoutes(deps: AdminRouteDependencies): Route[] {
  return [
    {
      ...ADMIN.stats,
      access: 'admin',
      summary: 'Album-art and variant outcomes and processing times, migration progress, API latency and errors per route, storage bytes',
      response: statsSchema,
      errors: [401, 403],
      handler: async () => ({ data: await deps.stats.stats(), headers: { 'Cache-Control': 'no-store' } }),
    },
    {
      ...ADMIN.flags,
      access: 'admin',
      summary: 'Every feature flag with its value and source (environment > Firestore > code default)',
      response: flagsViewSchema,
      errors: [401, 403],
      handler: async () => ({ data: await deps.flags.view(), headers: { 'Cache-Control': 'no-store' } }),
    },
    {
      ...ADMIN.updateFlags,
      access: 'admin',
      summary: 'Sets (true/false) or clears (null) Firestore overrides; every change is audited',
      body: flagUpdateSchema,
      response: z.object({ flags: flagsViewSchema, audit: flagAuditEntrySchema }),
      errors: [400, 401, 403, 415],
      handler: async ({ request, principal }) => {
        const { fields } = await readBody(request, { maxBytes: FLAG_BODY_LIMIT });
        assertKnownFlags(fields);
        const update = parseOrThrow(flagUpdateSchema, fields) as FlagUpdate;
        const { view, audit } = await deps.flags.update(update, principal!.email);
        return { data: { flags: view, audit } };
      },
    },
    auditTrailRoute(ADMIN.flagsAudit, 'Who changed which flag, from what to what, and when (newest first)', flagAuditEntrySchema, (limit) =>
      deps.flags.auditTrail(limit),
    ),
    {
      ...ADMIN.statusPage,
      access: 'public',
      summary: 'The status page (HTML; holds no data: its script reads /api/admin/stats with an admin token)',
      responseMediaType: 'text/html',
      handler: async () => ({
        text: { contentType: 'text/html; charset=utf-8', body: ADMIN_PAGE_HTML },
        headers: {
          'Content-Security-Policy': ADMIN_PAGE_CSP,
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
          'Referrer-Policy': 'no-referrer',
        },
      }),
    },
  ];
}
