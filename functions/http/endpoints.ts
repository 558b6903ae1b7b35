/**
 * Every endpoint of the API, by route group: its method and path, written here and nowhere else.
 * The route table knows a group's endpoints from this file without loading the group's module (a
 * cold start loads only the group its first request uses); the group's module spreads each endpoint
 * into the route that serves it, and the table checks at load that the two agree.
 */
import type { Method, RouteKey } from './router.js';

export interface Endpoint {
  readonly method: Method;
  readonly path: string;
}

/** An endpoint read with GET (an audit trail's, say). */
export type GetEndpoint = Endpoint & { readonly method: 'GET' };

/** The endpoints of one route group, by name. */
export type Endpoints = Readonly<Record<string, Endpoint>>;

const endpoint = <M extends Method>(method: M, path: string) => ({ method, path }) as const;

export const HEALTH = {
  live: endpoint('GET', '/api/health'),
  ready: endpoint('GET', '/api/health/ready'),
} as const satisfies Endpoints;

export const TAXONOMY = {
  layers: endpoint('GET', '/api/taxonomy/layers'),
  categories: endpoint('GET', '/api/taxonomy/layers/:layer/categories'),
  subcategories: endpoint('GET', '/api/taxonomy/layers/:layer/categories/:category/subcategories'),
  health: endpoint('GET', '/api/taxonomy/health'),
  version: endpoint('GET', '/api/taxonomy/version'),
  index: endpoint('GET', '/api/taxonomy/index'),
  layerCount: endpoint('GET', '/api/taxonomy/layer-count'),
  categoryCount: endpoint('GET', '/api/taxonomy/layers/:layer/category-count'),
  subcategoryCount: endpoint('GET', '/api/taxonomy/layers/:layer/categories/:category/subcategory-count'),
  subcategoryCounts: endpoint('GET', '/api/taxonomy/layers/:layer/subcategory-counts'),
  hfnToMfa: endpoint('POST', '/api/taxonomy/convert/hfn-to-mfa'),
  mfaToHfn: endpoint('POST', '/api/taxonomy/convert/mfa-to-hfn'),
} as const satisfies Endpoints;

/** Reads of one asset: the group a new instance is most often asked first, so it loads alone. */
export const ASSET_READS = {
  byAddress: endpoint('GET', '/api/assets/nna/:address'),
  byRef: endpoint('GET', '/api/assets/:id'),
} as const satisfies Endpoints;

export const ASSETS = {
  list: endpoint('GET', '/api/assets'),
  search: endpoint('GET', '/api/assets/search'),
  searchByBody: endpoint('POST', '/api/assets/search'),
  create: endpoint('POST', '/api/assets'),
  upload: endpoint('POST', '/api/assets/upload'),
  replace: endpoint('PUT', '/api/assets/:id'),
  patch: endpoint('PATCH', '/api/assets/:id'),
  remove: endpoint('DELETE', '/api/assets/:id'),
  deleted: endpoint('GET', '/api/assets/deleted'),
  purgeExpired: endpoint('POST', '/api/assets/deleted/purge-expired'),
  restore: endpoint('POST', '/api/assets/:id/restore'),
  history: endpoint('GET', '/api/assets/:id/history'),
  revert: endpoint('POST', '/api/assets/:id/revert'),
  albumArt: endpoint('POST', '/api/assets/:id/album-art'),
} as const satisfies Endpoints;

export const ADMIN = {
  stats: endpoint('GET', '/api/admin/stats'),
  flags: endpoint('GET', '/api/admin/flags'),
  updateFlags: endpoint('PUT', '/api/admin/flags'),
  flagsAudit: endpoint('GET', '/api/admin/flags/audit'),
  statusPage: endpoint('GET', '/admin'),
} as const satisfies Endpoints;

export const INDEX = {
  api: endpoint('GET', '/api'),
  root: endpoint('GET', '/'),
} as const satisfies Endpoints;

export const AUTH = {
  login: endpoint('POST', '/api/auth/login'),
  register: endpoint('POST', '/api/auth/register'),
  profile: endpoint('GET', '/api/auth/profile'),
  setRoles: endpoint('PUT', '/api/admin/users/:uid/roles'),
  rolesAudit: endpoint('GET', '/api/admin/roles/audit'),
} as const satisfies Endpoints;

export const OPENAPI = {
  document: endpoint('GET', '/api/openapi.json'),
} as const satisfies Endpoints;

export function routeKeysOf(endpoints: Endpoints): RouteKey[] {
  return Object.values(endpoints).map(({ method, path }) => `${method} ${path}` as const);
}
