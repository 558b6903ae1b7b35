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
  'functions/album-art/firestore-host-rate-limiter.js',
  'functions/variants/variant-generator.js',
  'functions/variants/variant-function.js',
  'functions/variants/render-variants.js',
  'functions/migration/',
  'functions/adapters/auth/google-token-verifier.js',
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

function offenders(graph: Set<string>): string[] {
  return [...graph].filter((module) => FORBIDDEN.some((forbidden) => module === forbidden || module.startsWith(`${forbidden}/`) || module.includes(`/${forbidden}`)));
}

describe('the API module graph', () => {
  it('loads no image, pipeline or storage-client code at start', () => {
    const graph = staticGraph(path.join(PROJECT_ROOT, 'dist/functions/index.js'));
    expect(graph.size).to.be.greaterThan(20);
    expect(offenders(graph)).to.deep.equal([]);
  });

  it('would notice a forbidden import (the check can fail)', () => {
    const graph = staticGraph(path.join(PROJECT_ROOT, 'dist/functions/adapters/blob-store/gcs-blob-store.js'));
    expect(offenders(graph)).to.include('@google-cloud/storage');
    expect(offenders(staticGraph(path.join(PROJECT_ROOT, 'dist/functions/adapters/auth/google-token-verifier.js')))).to.include('google-auth-library');
  });

  it('builds the runtime without loading any function-specific code', () => {
    const graph = staticGraph(path.join(PROJECT_ROOT, 'dist/functions/runtime.js'));
    expect(offenders(graph)).to.deep.equal([]);
    expect([...graph].filter((module) => module.includes('/functions/api/'))).to.deep.equal([]);
  });
});
