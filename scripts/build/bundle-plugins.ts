/**
 * esbuild plugins the function bundles are built with. Each one changes which copy of a package
 * the bundle holds, never what the code does, and each fails the build rather than guess when the
 * packages no longer look as it expects.
 */
import type { Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';

function packageVersion(directory: string): string {
  return (JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The Firestore client and its generated API package each install their own copy of google-gax
 * (the project's root holds an older major for Pub/Sub, so npm cannot share one), and at its
 * first request the client loads both: two copies of the same version, each with its protocol
 * definitions, evaluated at every start. Bundled, every import of google-gax from those two
 * packages resolves to the API package's copy; the build stops if the two versions ever differ.
 */
export function oneGoogleGax(root: string): Plugin {
  const home = path.join(root, 'node_modules/@google-cloud/firestore-api');
  const copies = [home, path.join(root, 'node_modules/@google-cloud/firestore')].map((owner) => path.join(owner, 'node_modules/google-gax'));
  return {
    name: 'one-google-gax',
    setup(build) {
      const versions = new Set(copies.map(packageVersion));
      if (versions.size !== 1) throw new Error(`the Firestore client's copies of google-gax differ (${[...versions].join(', ')}): bundle them apart`);
      build.onResolve({ filter: /^google-gax(\/.*)?$/ }, async (args) => {
        if (args.pluginData === 'one-google-gax' || !args.importer.includes(`${path.sep}@google-cloud${path.sep}firestore`)) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: home, pluginData: 'one-google-gax' });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        return { path: resolved.path, external: resolved.external, sideEffects: resolved.sideEffects };
      });
    },
  };
}

/**
 * zod's classic API re-exports its sixty locales as `z.locales`, half of zod's bytes; the functions
 * only use the English messages zod registers by itself, so the bundles hold that locale alone.
 */
export function englishZodLocaleOnly(root: string): Plugin {
  return {
    name: 'english-zod-locale-only',
    setup(build) {
      build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
        args.importer.includes(`${path.sep}node_modules${path.sep}zod${path.sep}`) ? { path: 'zod-locales', namespace: 'english-zod-locale-only' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'english-zod-locale-only' }, () => ({
        contents: "export { default as en } from 'zod/v4/locales/en.js';\n",
        resolveDir: root,
        loader: 'js',
      }));
    },
  };
}
