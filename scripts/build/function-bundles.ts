/**
 * One esbuild bundle per deployed function, from the TypeScript sources: the function's entry point
 * (functions/entry-points/) with its code and its packages in index.js, every lazily loaded part (route
 * groups, the image pipelines) a chunk of its own in chunks/, loaded on its first use as before. The
 * Firestore client is bundled too (see CLOUD_CLIENTS). What is not bundled stays an installed
 * package, named with its version in the bundle's package.json: functions-framework and express
 * (the runner's own instances, see RUNNER), the other Google Cloud clients and sharp (native code).
 * The deploy ships these directories; the local stack runs them too.
 */
import { build, type Metafile } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTION_ENTRY_POINTS } from '../../functions/platform/resource-names.js';
import { englishZodLocaleOnly, oneGoogleGax } from './bundle-plugins.js';

/** dist/scripts/build -> project root */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where `npm run bundle` writes the bundles cloudbuild.yaml deploys, relative to the project root. */
export const BUNDLES_DIRECTORY = 'bundles';

export type FunctionName = keyof typeof FUNCTION_ENTRY_POINTS;

interface FunctionBundle {
  /** The entry point under functions/, relative to the project root. */
  entry: string;
  /** Installed packages the bundle imports instead of holding them. */
  installed: readonly string[];
}

/**
 * The runner's registry must be the one the bundle registers on, and its express application the one
 * functions/platform/request-bodies.ts patches: both are the installed packages the runner uses.
 */
const RUNNER = ['@google-cloud/functions-framework', 'express'];
/**
 * The Google Cloud clients the code imports with import() when first needed stay installed
 * (Pub/Sub, Cloud Storage, firebase-admin, and the auth library the Cloud clients share): a CommonJS
 * package split into a chunk of its own exports only `default`, not the names Node finds in it, so
 * bundled those imports would find no PubSub class. The Firestore client, which every function
 * imports at start and uses on its first request, is bundled: installed, its first request resolves
 * and reads some six hundred files (each a lookup through node_modules); bundled, they are one
 * chunk, and its two copies of google-gax are one (bundle-plugins.ts). That is what brings the API's
 * start under a bare function that reads one document with the installed client (`npm run bench --
 * cold-start`).
 */
const CLOUD_CLIENTS = ['@google-cloud/pubsub', '@google-cloud/storage', 'firebase-admin', 'google-auth-library'];

const FUNCTION_BUNDLES: Record<FunctionName, FunctionBundle> = {
  api: { entry: 'functions/entry-points/api.ts', installed: [...RUNNER, ...CLOUD_CLIENTS] },
  processAlbumArt: { entry: 'functions/entry-points/process-album-art.ts', installed: [...RUNNER, ...CLOUD_CLIENTS, 'sharp'] },
  generateVariants: { entry: 'functions/entry-points/generate-variants.ts', installed: [...RUNNER, ...CLOUD_CLIENTS, 'sharp'] },
};

/**
 * Files the code reads beside its own module (new URL(file, import.meta.url)): copied where that
 * module may land, the bundle's top or its chunks.
 */
const READ_BESIDE_MODULES = ['functions/operations/admin/status-page.client.cjs'];

/**
 * Bundled CommonJS packages call require() and read __dirname; in an ES module those come from
 * import.meta, defined once at the top of every output file.
 */
const COMMONJS_GLOBALS = [
  "import { createRequire as __bundleCreateRequire } from 'node:module';",
  "import { fileURLToPath as __bundleFileURLToPath } from 'node:url';",
  "import { dirname as __bundleDirname } from 'node:path';",
  'const require = __bundleCreateRequire(import.meta.url);',
  'const __filename = __bundleFileURLToPath(import.meta.url);',
  'const __dirname = __bundleDirname(__filename);',
].join('\n');

export interface BuiltBundle {
  name: FunctionName;
  directory: string;
  /** Bytes of index.js, what the function parses at start. */
  entryBytes: number;
  /** Bytes of all its chunks, loaded on first use. */
  chunkBytes: number;
}

function installedVersions(packages: readonly string[]): Record<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  return Object.fromEntries(
    packages.map((name) => {
      const version = manifest.dependencies[name];
      if (!version) throw new Error(`${name} is installed beside a bundle but is not a dependency in package.json`);
      return [name, version];
    }),
  );
}

function outputBytes(metafile: Metafile, directory: string): { entryBytes: number; chunkBytes: number } {
  let entryBytes = 0;
  let chunkBytes = 0;
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (file.endsWith('.map')) continue;
    if (path.resolve(root, file) === path.join(directory, 'index.js')) entryBytes += output.bytes;
    else chunkBytes += output.bytes;
  }
  return { entryBytes, chunkBytes };
}

/** Bundles one function into `directory` (emptied first: give each use a directory of its own). */
export async function bundleFunction(name: FunctionName, directory: string): Promise<BuiltBundle> {
  const bundle = FUNCTION_BUNDLES[name];
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { index: path.join(root, bundle.entry) },
    outdir: directory,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node22',
    external: [...bundle.installed],
    banner: { js: COMMONJS_GLOBALS },
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'linked',
    logLevel: 'error',
    plugins: [oneGoogleGax(root), englishZodLocaleOnly(root)],
  });
  for (const file of READ_BESIDE_MODULES) {
    for (const target of [directory, path.join(directory, 'chunks')]) copyFileSync(path.join(root, file), path.join(target, path.basename(file)));
  }
  writeFileSync(
    path.join(directory, 'package.json'),
    `${JSON.stringify({ name: `nna-registry-${name.toLowerCase()}`, private: true, type: 'module', main: 'index.js', engines: { node: '>=22' }, dependencies: installedVersions(bundle.installed) }, null, 2)}\n`,
  );
  return { name, directory, ...outputBytes(result.metafile, directory) };
}

/** Every function's bundle, in `<directory>/<name>/`. */
export async function bundleFunctions(directory: string): Promise<BuiltBundle[]> {
  const names = Object.keys(FUNCTION_BUNDLES) as FunctionName[];
  return Promise.all(names.map((name) => bundleFunction(name, path.join(directory, name))));
}
