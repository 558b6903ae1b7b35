/** Sign-in for the web frontend (`/api/auth/*`) and role management for admins. */
import { z } from 'zod';
import { authResultSchema, loginSchema, registerSchema, roleAuditEntrySchema, roleUpdateSchema, userSchema } from '../../domain/schemas/auth.js';
import { userViewOf, type AuthService } from '../../sign-in/auth-service.js';
import { clientAddressOf } from '../client-address.js';
import { readBody } from '../request-body.js';
import { auditTrailRoute } from './admin-routes.js';
import type { Route } from '../router.js';
import { parseOrThrow } from '../../domain/validation.js';
import { AUTH } from '../endpoints.js';

const AUTH_BODY_LIMIT = 16 * 1024;

export function authRoutes(service: AuthService): Route[] {
  const body = async (request: Parameters<Route['handler']>[0]['request']) => (await readBody(request, { maxBytes: AUTH_BODY_LIMIT })).fields;
  return [
    {
      ...AUTH.login,
      access: 'public',
      summary:
        'Sign in with email and password: a Firebase ID token and the user; 401 without saying whether the email exists; 429 with Retry-After after too many failures for the account or from the address',
      body: loginSchema,
      response: authResultSchema,
      errors: [400, 401, 413, 415, 429, 503],
      handler: async ({ request }) => ({
        data: await service.login(parseOrThrow(loginSchema, await body(request)), clientAddressOf(request)),
        headers: { 'Cache-Control': 'no-store' },
      }),
    },
    {
      ...AUTH.register,
      access: 'public',
      summary: 'Create an account (roles from REGISTRATION_ROLES) and sign in; 409 when the email is taken',
      body: registerSchema,
      response: authResultSchema,
      successStatus: 201,
      errors: [400, 409, 413, 415, 503],
      handler: async ({ request }) => ({
        status: 201,
        data: await service.register(parseOrThrow(registerSchema, await body(request))),
        headers: { 'Cache-Control': 'no-store' },
      }),
    },
    {
      ...AUTH.profile,
      access: 'signed-in',
      summary: 'The signed-in user (from the token)',
      response: userSchema,
      errors: [401],
      handler: async ({ principal }) => ({ data: userViewOf(principal!), headers: { 'Cache-Control': 'no-store' } }),
    },
    {
      ...AUTH.setRoles,
      access: 'admin',
      summary: "Replace a user's roles (the `roles` custom claim; effective from the user's next token); audited",
      body: roleUpdateSchema,
      response: z.object({ uid: z.string(), roles: z.array(z.string()), audit: roleAuditEntrySchema }),
      errors: [400, 401, 403, 404, 413, 415, 503],
      handler: async ({ request, params, principal }) => {
        const { roles } = parseOrThrow(roleUpdateSchema, await body(request));
        const audit = await service.setRoles(principal!.email, params['uid']!, roles);
        return { data: { uid: params['uid']!, roles, audit } };
      },
    },
    auditTrailRoute(
      AUTH.rolesAudit,
      'Who gave whom which roles, from what to what, and when (newest first; registrations included)',
      roleAuditEntrySchema,
      (limit) => service.roleAuditTrail(limit),
    ),
  ];
}
