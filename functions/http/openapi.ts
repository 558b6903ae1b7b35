/**
 * The OpenAPI 3.1 document, generated from the route table and the zod schemas that validate the
 * requests, so the document cannot drift from what the API accepts.
 */
import { z } from 'zod';
import type { Route } from './router.js';

const STATUS_TEXT: Record<number, string> = {
  304: 'Not modified (If-None-Match matched)',
  400: 'Invalid request; details name each offending field',
  401: 'Missing or invalid bearer token',
  403: 'The caller lacks the needed role',
  404: 'Not found',
  409: 'Conflict',
  412: 'If-Match does not match the current ETag',
  413: 'Request body over the stated limit',
  415: 'Unsupported Content-Type (send application/json or multipart/form-data)',
  429: 'Too many failed attempts; retry after the Retry-After seconds',
  503: 'A dependency (the database) is unavailable; retry after the Retry-After seconds. A write answered 503 wrote nothing, unless its code is OUTCOME_UNKNOWN: then retry with the same Idempotency-Key, or read first',
};

/**
 * The statuses a route can answer because of what it is, derived from the route table so that every
 * route gets them, new ones included: a body can be malformed, too large or of another type; a query
 * can be invalid; a path parameter can name nothing; a protected route refuses missing tokens and
 * roles (reads too, when PUBLIC_READS=false); anything that reads the database can find it down.
 */
function impliedStatuses(route: Route): number[] {
  const statuses: number[] = [];
  if (route.body || route.bodyMediaTypes) statuses.push(400, 413, 415);
  if (route.query) statuses.push(400);
  if (route.path.includes(':')) statuses.push(404);
  if (route.access !== 'public') statuses.push(401, 403, 503);
  return statuses;
}

/** `GET /api/assets/:id` -> `getAssetsById`: unique because method and path are. */
function operationIdOf(route: Pick<Route, 'method' | 'path'>): string {
  const segments = route.path.split('/').filter(Boolean);
  const words = (segments.length > 1 && segments[0] === 'api' ? segments.slice(1) : segments).map((segment) =>
    segment.startsWith(':') ? `by-${segment.slice(1)}` : segment,
  );
  const camel = [route.method.toLowerCase(), ...words.flatMap((word) => word.split(/[-_.]/))]
    .filter(Boolean)
    .map((word, index) => (index === 0 ? word : word[0]!.toUpperCase() + word.slice(1)))
    .join('');
  return words.length === 0 ? `${camel}Root` : camel;
}

/** Who may call: nobody needs a token for public routes; reads take one optionally (PUBLIC_READS). */
function securityOf(route: Route): unknown[] {
  if (route.access === 'public') return [];
  if (route.access === 'read') return [{}, { bearer: [] }];
  return [{ bearer: [] }];
}

const errorEnvelope = z
  .object({
    success: z.literal(false),
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), issue: z.string() })),
    }),
  })
  .meta({ id: 'ErrorEnvelope' });

type JsonSchema = Record<string, unknown>;

/** The schema inline, with references to named schemas (those with `.meta({ id })`). */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const generated = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete generated['$schema'];
  return generated;
}

/** Moves `$defs` that zod emits into components, keeping references valid. */
function hoist(schema: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  const text = JSON.stringify(schema).replaceAll('"#/$defs/', '"#/components/schemas/');
  const rewritten = JSON.parse(text) as JsonSchema;
  const definitions = (rewritten['$defs'] ?? {}) as Record<string, JsonSchema>;
  delete rewritten['$defs'];
  for (const [name, definition] of Object.entries(definitions)) {
    delete definition['$id'];
    components[name] = definition;
  }
  delete rewritten['$id'];
  return rewritten;
}

function queryParameters(schema: z.ZodType): unknown[] {
  const generated = schemaOf(schema, 'input');
  const properties = (generated['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((generated['required'] ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({ name, in: 'query', required: required.has(name), schema: property }));
}

export function buildOpenApiDocument(routes: readonly Route[]): Record<string, unknown> {
  const components: Record<string, JsonSchema> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  const envelope = hoist(schemaOf(errorEnvelope, 'output'), components);
  for (const route of routes) {
    const openApiPath = route.path.replace(/:(\w+)/g, '{$1}');
    const parameters: unknown[] = [...route.path.matchAll(/:(\w+)/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (route.query) parameters.push(...queryParameters(route.query));
    const success = route.successStatus ?? 200;
    const dataEnvelope = (schema: z.ZodType | undefined, description: string) => ({
      description,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { success: { const: true }, ...(schema ? { data: hoist(schemaOf(schema, 'output'), components) } : {}) },
          },
        },
      },
    });
    const responses: Record<string, unknown> = { [success]: dataEnvelope(route.response, 'Success') };
    for (const [status, extra] of Object.entries(route.otherResponses ?? {})) responses[status] = dataEnvelope(extra.schema, extra.description);
    if (route.rawResponse) {
      responses[success] = {
        description:
          'Success: exactly this JSON, read raw by the web frontend (not only the { success, data } envelope; where a path must answer both, this raw shape wins)',
        content: { 'application/json': { schema: hoist(schemaOf(route.rawResponse, 'output'), components) } },
      };
    }
    if (route.responseMediaType) {
      responses[success] = { description: 'Success', content: { [route.responseMediaType]: { schema: { type: 'string' } } } };
    }
    for (const status of [...new Set([...(route.errors ?? []), ...impliedStatuses(route)])].sort()) {
      if (responses[status] !== undefined) continue;
      if (status === 304) {
        responses[status] = { description: STATUS_TEXT[status] };
        continue;
      }
      responses[status] = { description: STATUS_TEXT[status] ?? 'Error', content: { 'application/json': { schema: envelope } } };
    }
    const operation: Record<string, unknown> = {
      operationId: operationIdOf(route),
      summary: route.summary,
      parameters,
      responses,
      security: securityOf(route),
    };
    if (route.body) {
      const bodySchema = hoist(schemaOf(route.body, 'input'), components);
      operation['requestBody'] = {
        required: true,
        content: Object.fromEntries((route.bodyMediaTypes ?? ['application/json']).map((type) => [type, { schema: bodySchema }])),
      };
    } else if (route.bodyMediaTypes) {
      operation['requestBody'] = {
        required: true,
        content: Object.fromEntries(
          route.bodyMediaTypes.map((type) => [type, { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } }]),
        ),
      };
    }
    paths[openApiPath] = { ...paths[openApiPath], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'NNA Registry API',
      version: '1.0.0',
      description: 'Assets of the NNA Registry: HFN/MFA naming over a layered taxonomy.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/' }],
    paths,
    components: { schemas: components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}
