/**
 * `npm run bundle`: the three functions' bundles in bundles/<name>/, what cloudbuild.yaml deploys
 * (docs/deployment.md). Prints each bundle's size.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLES_DIRECTORY, bundleFunctions } from './build/function-bundles.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const directory = path.resolve(root, process.argv[2] ?? BUNDLES_DIRECTORY);
const started = Date.now();
for (const bundle of await bundleFunctions(directory)) {
  console.log(
    `${bundle.name.padEnd(18)} ${path.relative(root, bundle.directory)}  index.js ${(bundle.entryBytes / 1024).toFixed(0)} KiB, chunks ${(bundle.chunkBytes / 1024).toFixed(0)} KiB`,
  );
}
console.log(`bundled in ${Date.now() - started} ms`);
