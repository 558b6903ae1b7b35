/**
 * The host names the web frontend's code calls for its backend: its dev server proxies `/api` to the
 * first, its pages call both directly (src/utils/environment.config.ts, src/setupProxy.js).
 */
export const REGISTRY_HOSTS: readonly string[] = ['registry.reviz.dev', 'registry.dev.reviz.dev'];
