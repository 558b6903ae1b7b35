/**
 * The API must start fast: its static import graph (what loads at cold start) may not reach image
 * processing, the pipeline functions, the Cloud Storage or Pub/Sub clients, or the token
 * verification libraries (not even loaded in dev-token mode), which all load on first use.
 */
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../support/test-environment.js';

const STATIC_IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;
// The album-art module's light public surface (requests, outbox, status model) is part of the API;
// its processor and the variant generator are not.
const FORBIDDEN = [
  'sharp',
  'file-type',
  '@google-cloud/storage',
  '@google-cloud/pubsub',
  'google-auth-library',
  'firebase-admin',
  'functions/album-art/album-art-processor.js',
  'functions/album-art/process-album-art.js',
  'functions/album-art/safe-download.js',
  'functions/album-art/adapters/firestore-host-rate-limiter.js',
  'functions/variants/variant-generator.js',
  'functions/variants/variant-function.js',
  'functions/variants/render-variants.js',
  'functions/migration/',
  'functions/adapters/auth/google-token-verifier.js',
];

/**
 * What the API loads only when a request needs it (the cold start: nothing its first request, a read of one
 * asset, does not use loads before it): the route groups other than that read, with their services
 * and zod schemas, the OpenAPI builder, the album-art module beyond its start-up part, the event
 * functions' envelopes, and the history and flag schemas.
 */
const LOADED_ON_FIRST_USE = [
  'functions/http/routes/asset-read-routes.js',
  'functions/http/routes/asset-routes.js',
  'functions/http/routes/admin-routes.js',
  'functions/http/routes/auth-routes.js',
  'functions/http/routes/health-routes.js',
  'functions/http/routes/index-routes.js',
  'functions/http/routes/taxonomy-routes.js',
  'functions/assets/asset-use-cases.js',
  'functions/http/routes/asset-lifecycle-routes.js',
  'functions/assets/asset-listing.js',
  'functions/sign-in/auth-service.js',
  'functions/http/idempotency.js',
  'functions/http/openapi.js',
  'functions/http/request-body.js',
  'functions/domain/validation.js',
  'functions/domain/schemas/',
  'functions/domain/asset-builder.js',
  'functions/album-art/index.js',
  'functions/album-art/album-art-requests.js',
  'functions/album-art/album-art-job.js',
  'functions/album-art/job-event.js',
  'functions/album-art/outbox-relay.js',
  'functions/album-art/variant-set.js',
  'functions/variants/storage-object-event.js',
  'functions/operations/health/',
  'functions/operations/stats/',
  'functions/operations/adapters/dependency-checks.js',
  'functions/operations/adapters/firestore-stats-source.js',
  'functions/operations/adapters/metric-aggregates-reader.js',
  'functions/operations/adapters/sequence-fill.js',
  'functions/operations/admin/',
  'functions/operations/flags/flag-schemas.js',
  'functions/adapters/auth/firebase-identity-provider.js',
  'busboy',
];

/** Every module and package the file loads statically, transitively within the project. */
export function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.startsWith('/')) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      const specifier = match[1] ?? match[2]!;
      if (specifier.startsWith('.')) {
        const resolved = path.resolve(path.dirname(file), specifier);
        if (existsSync(resolved)) pending.push(resolved);
      } else {
        pending.push(specifier);
      }
    }
  }
  return seen;
}

function offenders(graph: Set<string>, forbidden: readonly string[] = FORBIDDEN): string[] {
  return [...graph].filter((module) => forbidden.some((name) => module === name || module.startsWith(`${name}/`) || module.includes(`/${name}`)));
}

describe('the API module graph', () => {
  it('loads no image, pipeline or storage-client code at start', () => {
    const graph = staticGraph(path.join(PROJECT_ROOT, 'dist/functions/index.js'));
    expect(graph.size).to.be.greaterThan(20);
    expect(offenders(graph)).to.deep.equal([]);
  });

  it('loads the route groups, services and schemas its first request does not use only when a request needs them', () => {
    const graph = staticGraph(path.join(PROJECT_ROOT, 'dist/functions/index.js'));
    expect(offenders(graph, LOADED_ON_FIRST_USE)).to.deep.equal([]);
    // Each name is a real module (or folder) of the build, so a rename cannot make this pass vacuously.
    for (const name of LOADED_ON_FIRST_USE.filter((entry) => entry.startsWith('functions/')))
      expect(existsSync(path.join(PROJECT_ROOT, 'dist', name)), name).to.equal(true);
  });

  it('would notice an eager import of a lazily loaded module (the check can fail)', () => {
    // The asset routes import their schemas and idempotency statically: from there, the check finds them.
    const graph = staticGraph(path.join(PROJECT_ROOT, 'dist/functions/http/routes/asset-routes.js'));
    expect(offenders(graph, LOADED_ON_FIRST_USE).map((module) => module.replace(/.*\/dist\//, ''))).to.include.members([
      'functions/http/idempotency.js',
      'functions/domain/schemas/asset-input.js',
    ]);
  });

  it('would notice a forbidden import (the check can fail)', () => {
    const graph = staticGraph(path.join(PROJECT_ROOT, 'dist/functions/adapters/blob-store/gcs-blob-store.js'));
    expect(offenders(graph)).to.include('@google-cloud/storage');
    expect(offenders(staticGraph(path.join(PROJECT_ROOT, 'dist/functions/adapters/auth/google-token-verifier.js')))).to.include('google-auth-library');
  });

  it('builds the runtime without loading any function-specific code', () => {
    const graph = staticGraph(path.join(PROJECT_ROOT, 'dist/functions/runtime.js'));
    expect(offenders(graph)).to.deep.equal([]);
    expect([...graph].filter((module) => /\/functions\/(http|assets|sign-in)\//.test(module))).to.deep.equal([]);
  });

  it("builds the operator tools (migrate, import, backfill) on the functions' runtime, not on wiring of their own", () => {
    const runtime = path.join(PROJECT_ROOT, 'dist/functions/runtime.js');
    for (const tool of ['migrate.js', 'import.js', 'backfill-album-art.js']) {
      const graph = staticGraph(path.join(PROJECT_ROOT, 'dist/scripts', tool));
      expect(graph.has(runtime), tool).to.equal(true);
      // Only the runtime reaches the Firestore client: no tool module opens its own.
      const own = [...graph].filter((module) => module.includes('/dist/scripts/') && readFileSync(module, 'utf8').includes('firestore-client.js'));
      expect(own, tool).to.deep.equal([]);
    }
  });
});
