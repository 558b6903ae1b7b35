/**
 * The floors of functions/ (docs/architecture.md draws them), checked by `npm run lint` and by
 * test/architecture/floors.test.ts:
 *
 *   domain  <-  platform  <-  adapters  <-  capabilities  <-  http edge  <-  composition roots
 *
 * - domain (functions/domain/): pure; imports no other floor, no package but zod, no I/O module.
 * - platform (functions/platform/): configuration, logging, small utilities; imports only domain.
 * - adapters (functions/adapters/<sdk>/): the shared SDK wrappers; import domain and platform.
 * - capabilities (functions/{assets,sign-in,album-art,variants,migration,cutover,operations}/): use
 *   cases and ports; each keeps its own SDK code in its `adapters/` folder; they import the floors
 *   below, never the HTTP edge or a composition root, and another capability only through its
 *   public surface (PUBLIC_SURFACES).
 * - http edge (functions/http/): the API's HTTP plumbing and routes; imports the floors below, the
 *   asset and sign-in use cases, and the other capabilities through their public surfaces.
 * - composition roots: functions/index.ts, functions/composition.ts, functions/runtime.ts, the entry
 *   points (functions/entry-points/, one per deployed bundle) and each function's wiring module
 *   (http/api-function.ts with the API's shared parts, http/api-context.ts, and its route groups'
 *   wiring, http/route-groups/; album-art/process-album-art.ts, variants/variant-function.ts); scripts/
 *   (the command-line tools) wire too. Nothing in functions/ imports scripts/ or test/.
 * Cloud SDKs (Firestore, Pub/Sub, Storage, firebase-admin, google-auth-library) are imported only by
 * adapters (shared or a capability's) and composition roots.
 */
const CAPABILITIES = '(assets|sign-in|album-art|variants|migration|cutover|operations)';
/** The capabilities the HTTP edge reaches only through their public surfaces (it serves the asset and sign-in use cases directly). */
const SURFACED_CAPABILITIES = '(album-art|variants|migration|cutover|operations)';
const ROOTS =
  '^functions/(index|runtime|composition)\\.ts$|^functions/entry-points/|^functions/http/(api-function|api-context)\\.ts$|^functions/http/route-groups/|^functions/album-art/process-album-art\\.ts$|^functions/variants/variant-function\\.ts$';
const SDKS = '^(@google-cloud/(firestore|pubsub|storage)|firebase-admin|google-auth-library)(/|$)';
const SDK_MODULES = `node_modules/(@google-cloud/(firestore|pubsub|storage)|firebase-admin|google-auth-library)/`;
/**
 * What a capability (or the HTTP edge) may import of another: album art's public surface (index.ts,
 * start-up.ts), and what the API's health and admin routes serve of operations (readiness, statistics, flags, the
 * status page). Anything else is that capability's own.
 */
const PUBLIC_SURFACES = [
  '^functions/album-art/(index|start-up)\\.ts$',
  '^functions/operations/(health/readiness|stats/stats-service|stats/stats-schema|flags/flag-schemas|flags/managed-feature-flags|admin/admin-page)\\.ts$',
].join('|');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules import each other in one direction only.',
      from: { path: '^functions/' },
      to: { circular: true },
    },
    {
      name: 'domain-imports-no-other-floor',
      severity: 'error',
      comment: 'functions/domain/ is the ground floor: it imports nothing of the floors above.',
      from: { path: '^functions/domain/' },
      to: { path: '^(functions/(?!domain/)|scripts/|test/)' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'functions/domain/ uses no package but zod, and of Node only node:crypto (hashes) and node:stream (the blob port types streams): no I/O.',
      from: { path: '^functions/domain/' },
      to: { dependencyTypesNot: ['local'], pathNot: ['node_modules/zod/', '^(node:)?(crypto|stream)$'] },
    },
    {
      name: 'platform-imports-only-domain',
      severity: 'error',
      comment: 'functions/platform/ (configuration, logging, utilities) imports only functions/domain/.',
      from: { path: '^functions/platform/' },
      to: { path: '^(functions/(?!(domain|platform)/)|scripts/|test/)' },
    },
    {
      name: 'adapters-import-only-domain-and-platform',
      severity: 'error',
      comment: 'The shared SDK wrappers (functions/adapters/) sit below every capability.',
      from: { path: '^functions/adapters/' },
      to: { path: '^(functions/(?!(domain|platform|adapters)/)|scripts/|test/)' },
    },
    {
      name: 'capabilities-import-no-composition-root',
      severity: 'error',
      comment: 'A capability is wired by the composition roots; it never imports one (nor scripts/ or test/).',
      from: { path: `^functions/${CAPABILITIES}/`, pathNot: ROOTS },
      to: { path: [ROOTS, '^scripts/', '^test/'] },
    },
    {
      name: 'capabilities-never-import-the-http-edge',
      severity: 'error',
      comment: 'Use cases know nothing of HTTP: functions/http/ imports the capabilities, never the other way round.',
      from: { path: `^functions/${CAPABILITIES}/`, pathNot: ROOTS },
      to: { path: '^functions/http/' },
    },
    {
      name: 'http-edge-imports-no-composition-root',
      severity: 'error',
      comment: 'The HTTP edge is wired by its composition roots (api-function, api-context, route-groups); it never imports one.',
      from: { path: '^functions/http/', pathNot: ROOTS },
      to: { path: [ROOTS, '^scripts/', '^test/'] },
    },
    {
      name: 'http-edge-meets-capabilities-through-public-surfaces',
      severity: 'error',
      comment: 'The HTTP edge serves the asset and sign-in use cases; the other capabilities it reaches only through their public surfaces.',
      from: { path: '^functions/http/', pathNot: ROOTS },
      to: { path: `^functions/${SURFACED_CAPABILITIES}/`, pathNot: PUBLIC_SURFACES },
    },
    {
      name: 'capabilities-meet-through-public-surfaces',
      severity: 'error',
      comment: 'A capability imports another capability only through its public surface (album art: index.ts, start-up.ts).',
      from: { path: `^functions/${CAPABILITIES}/`, pathNot: ROOTS },
      to: { path: `^functions/${CAPABILITIES}/`, pathNot: [`^functions/$1/`, PUBLIC_SURFACES] },
    },
    {
      name: 'sdks-only-in-adapters',
      severity: 'error',
      comment: 'Cloud SDKs are wrapped by adapters (functions/adapters/<sdk>/ or a capability adapters/ folder) and composition roots only.',
      from: { path: '^functions/', pathNot: ['^functions/adapters/', `^functions/${CAPABILITIES}/adapters/`, ROOTS] },
      to: { path: [SDK_MODULES, SDKS] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|bench/results|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json', '.cjs', '.mjs', '.d.ts'],
    },
    moduleSystems: ['es6', 'cjs'],
    skipAnalysisNotInRules: true,
  },
};
