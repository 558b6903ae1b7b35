/**
 * `npm run compile`: turns the TypeScript of functions/, scripts/ and test/ into dist/ with esbuild,
 * file by file, without type-checking (`npm run build` and `npm run typecheck` do that with tsc).
 * Only sources newer than their output are transpiled, and an output is replaced by a rename, never
 * deleted first: a process reading dist/ meanwhile sees the old file or the new one, never none.
 * Outputs whose source is gone are removed. Runs straight from its source (Node strips the types), as
 * it is what makes dist/.
 */
import { build, type BuildOptions } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outDirectory = path.join(root, 'dist');
const SOURCE_DIRECTORIES = ['functions', 'scripts', 'test'];
/** Files used as they are beside the compiled code: JSON imported with `with { type: 'json' }`, the status page's browser script. */
const COPIED = /\.(json|client\.cjs)$/;
/** A change to these changes every output. */
const BUILD_INPUTS = ['tsconfig.json', 'package-lock.json', 'scripts/build/compile.ts'].map((file) => path.join(root, file));

/** esbuild's transpilation, the same settings as tsconfig.json's emit. */
const TRANSPILE_OPTIONS: BuildOptions = {
  bundle: false,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  tsconfig: path.join(root, 'tsconfig.json'),
  logLevel: 'warning',
};

function filesUnder(directory: string): string[] {
  return readdirSync(path.join(root, directory), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

function modifiedMs(file: string): number {
  return existsSync(file) ? statSync(file).mtimeMs : -1;
}

/** Writes through a temporary file and a rename, so a reader never sees a missing or half-written file. */
function replaceFile(target: string, contents: Uint8Array): void {
  mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, target);
}

function outputOf(source: string): string {
  return path.join(outDirectory, source.replace(/\.ts$/, '.js'));
}

async function compile(): Promise<void> {
  const started = Date.now();
  const sources = SOURCE_DIRECTORIES.flatMap(filesUnder);
  const typescript = sources.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
  const buildChanged = Math.max(...BUILD_INPUTS.map(modifiedMs));
  const stale = typescript.filter((file) => {
    const output = modifiedMs(outputOf(file));
    return output < buildChanged || output < modifiedMs(path.join(root, file));
  });
  if (stale.length > 0) {
    const result = await build({
      ...TRANSPILE_OPTIONS,
      entryPoints: stale.map((file) => path.join(root, file)),
      outbase: root,
      outdir: outDirectory,
      write: false,
    });
    for (const output of result.outputFiles) replaceFile(output.path, output.contents);
  }
  let copied = 0;
  for (const file of sources.filter((source) => COPIED.test(source))) {
    const target = path.join(outDirectory, file);
    if (modifiedMs(target) >= modifiedMs(path.join(root, file))) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(path.join(root, file), `${target}.${process.pid}.tmp`);
    renameSync(`${target}.${process.pid}.tmp`, target);
    copied++;
  }
  // Outputs of deleted or renamed sources would still be found by mocha's globs and by imports.
  const expected = new Set([
    ...typescript.flatMap((file) => [outputOf(file), `${outputOf(file)}.map`]),
    ...sources.filter((file) => COPIED.test(file)).map((file) => path.join(outDirectory, file)),
  ]);
  let removed = 0;
  for (const directory of SOURCE_DIRECTORIES.filter((name) => existsSync(path.join(outDirectory, name)))) {
    for (const entry of readdirSync(path.join(outDirectory, directory), { recursive: true, withFileTypes: true })) {
      const file = path.join(entry.parentPath, entry.name);
      if (entry.isFile() && !expected.has(file)) {
        rmSync(file);
        removed++;
      }
    }
  }
  console.log(`compiled ${stale.length} of ${typescript.length} files, copied ${copied}, removed ${removed} in ${Date.now() - started} ms`);
}

await compile();
