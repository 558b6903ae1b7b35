/**
 * The floors (domain <- platform <- adapters <- capabilities <- composition roots, docs/architecture.md)
 * are enforced by dependency-cruiser with the project's .dependency-cruiser.cjs, the configuration
 * `npm run lint` runs. Each violating import below is cruised in a small tree of its own (a temporary
 * directory laid out like functions/, node_modules linked), so the real tree is never touched; then
 * the real tree must have no violation at all.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../support/test-environment.js';

const run = promisify(execFile);
const CLI = path.join(PROJECT_ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const CONFIG = path.join(PROJECT_ROOT, '.dependency-cruiser.cjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** The violations dependency-cruiser reports for `directories` of the tree at `root`. */
async function violations(root: string, directories: string[]): Promise<Violation[]> {
  // Exit code 1 (violations found) still prints the JSON report.
  const result = await run(process.execPath, [CLI, '--config', CONFIG, '--output-type', 'json', ...directories], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return (JSON.parse(result.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

/** A tree holding `files` (path: source), with the project's node_modules and tsconfig. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'nna-floors-'));
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), source);
  }
  return root;
}

/** The rules broken when `probe` (at path `file`) imports what it does, beside the stub modules it imports. */
async function rulesBrokenBy(file: string, probe: string, stubs: string[] = []): Promise<string[]> {
  const files: Record<string, string> = { [file]: probe };
  for (const stub of stubs) files[stub] = 'export const value = 1;\n';
  const root = tree(files);
  try {
    const found = await violations(root, ['functions']);
    return [...new Set(found.filter((violation) => violation.from === file).map((violation) => violation.rule.name))].sort();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('module floors (dependency-cruiser, .dependency-cruiser.cjs)', function () {
  this.timeout(120_000);

  it('refuses a cloud SDK or another floor in functions/domain/, and I/O modules there', async () => {
    expect(
      await rulesBrokenBy('functions/domain/probe.ts', "import { Firestore } from '@google-cloud/firestore';\nexport const value = Firestore;\n"),
    ).to.deep.equal(['domain-is-pure', 'sdks-only-in-adapters']);
    expect(
      await rulesBrokenBy('functions/domain/probe.ts', "import { value as other } from '../platform/logger.js';\nexport const value = other;\n", [
        'functions/platform/logger.ts',
      ]),
    ).to.deep.equal(['domain-imports-no-other-floor']);
    expect(await rulesBrokenBy('functions/domain/probe.ts', "import { readFileSync } from 'node:fs';\nexport const value = readFileSync;\n")).to.deep.equal([
      'domain-is-pure',
    ]);
    // What the domain may use: zod and hashing.
    expect(
      await rulesBrokenBy(
        'functions/domain/probe.ts',
        "import { z } from 'zod';\nimport { createHash } from 'node:crypto';\nexport const value = [z, createHash];\n",
      ),
    ).to.deep.equal([]);
  });

  it('refuses an upward import from platform and from the shared adapters', async () => {
    expect(
      await rulesBrokenBy(
        'functions/platform/probe.ts',
        "import { value as other } from '../adapters/firestore/firestore-client.js';\nexport const value = other;\n",
        ['functions/adapters/firestore/firestore-client.ts'],
      ),
    ).to.deep.equal(['platform-imports-only-domain']);
    expect(
      await rulesBrokenBy('functions/platform/probe.ts', "import { value as other } from '../album-art/start-up.js';\nexport const value = other;\n", [
        'functions/album-art/start-up.ts',
      ]),
    ).to.deep.equal(['platform-imports-only-domain']);
    expect(
      await rulesBrokenBy('functions/adapters/firestore/probe.ts', "import { value as other } from '../../http/router.js';\nexport const value = other;\n", [
        'functions/http/router.ts',
      ]),
    ).to.deep.equal(['adapters-import-only-domain-and-platform']);
  });

  it('refuses a composition root or another capability internals in a capability', async () => {
    expect(
      await rulesBrokenBy('functions/assets/probe.ts', "import type { value as other } from '../runtime.js';\nexport const value: typeof other = 1;\n", [
        'functions/runtime.ts',
      ]),
    ).to.deep.equal(['capabilities-import-no-composition-root']);
    expect(
      await rulesBrokenBy('functions/variants/probe.ts', "import { value as other } from '../album-art/job-claim.js';\nexport const value = other;\n", [
        'functions/album-art/job-claim.ts',
      ]),
    ).to.deep.equal(['capabilities-meet-through-public-surfaces']);
    // The public surface, and a capability's own modules, are fine.
    expect(
      await rulesBrokenBy(
        'functions/variants/probe.ts',
        "import { value as other } from '../album-art/index.js';\nimport { value as own } from './variant-names.js';\nexport const value = [other, own];\n",
        ['functions/album-art/index.ts', 'functions/variants/variant-names.ts'],
      ),
    ).to.deep.equal([]);
  });

  it('keeps HTTP out of the use cases: the HTTP edge imports capabilities, never the other way round', async () => {
    expect(
      await rulesBrokenBy(
        'functions/assets/probe.ts',
        "import type { value as other } from '../http/http-types.js';\nexport const value: typeof other = 1;\n",
        ['functions/http/http-types.ts'],
      ),
    ).to.deep.equal(['capabilities-never-import-the-http-edge']);
    expect(
      await rulesBrokenBy('functions/http/probe.ts', "import { value as other } from '../assets/asset-lookup.js';\nexport const value = other;\n", [
        'functions/assets/asset-lookup.ts',
      ]),
    ).to.deep.equal([]);
    expect(
      await rulesBrokenBy('functions/http/probe.ts', "import { value as other } from '../album-art/job-claim.js';\nexport const value = other;\n", [
        'functions/album-art/job-claim.ts',
      ]),
    ).to.deep.equal(['http-edge-meets-capabilities-through-public-surfaces']);
    expect(
      await rulesBrokenBy(
        'functions/http/routes/probe.ts',
        "import type { value as other } from '../api-context.js';\nexport const value: typeof other = 1;\n",
        ['functions/http/api-context.ts'],
      ),
    ).to.deep.equal(['http-edge-imports-no-composition-root']);
  });

  it('keeps cloud SDKs in adapters and composition roots, type-only imports included', async () => {
    expect(
      await rulesBrokenBy('functions/migration/probe.ts', "import type { Firestore } from '@google-cloud/firestore';\nexport type Value = Firestore;\n"),
    ).to.deep.equal(['sdks-only-in-adapters']);
    expect(
      await rulesBrokenBy('functions/operations/stats/probe.ts', "import { PubSub } from '@google-cloud/pubsub';\nexport const value = PubSub;\n"),
    ).to.deep.equal(['sdks-only-in-adapters']);
    expect(
      await rulesBrokenBy('functions/migration/adapters/probe.ts', "import { Firestore } from '@google-cloud/firestore';\nexport const value = Firestore;\n"),
    ).to.deep.equal([]);
    expect(
      await rulesBrokenBy('functions/adapters/auth/probe.ts', "import { getAuth } from 'firebase-admin/auth';\nexport const value = getAuth;\n"),
    ).to.deep.equal([]);
  });

  it('refuses an import circle', async () => {
    const root = tree({
      'functions/domain/first.ts': "import { second } from './second.js';\nexport const first = () => second;\n",
      'functions/domain/second.ts': "import { first } from './first.js';\nexport const second = () => first;\n",
    });
    try {
      const found = await violations(root, ['functions']);
      expect(found.map((violation) => violation.rule.name)).to.include('no-circular');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('finds no violation in the real tree', async () => {
    const found = await violations(PROJECT_ROOT, ['functions', 'scripts', 'test']);
    expect(found.map((violation) => `${violation.rule.name}: ${violation.from} -> ${violation.to}`)).to.deep.equal([]);
  });
});
