/**
 * Keeps the local stack's Firestore data between runs and across crashes: the emulator's export
 * endpoint writes the database into a directory, every few seconds while the stack runs and once at
 * stop, and `--import-data` loads the newest complete export at the next start. The gcloud
 * emulator's own `--export-on-exit` is not used: it exports only on a clean exit, and an export that
 * races a SIGKILL is lost.
 *
 * Layout under `directory`: `export-<time>-<n>/` holds complete exports, `CURRENT` names the one to
 * load (with a digest of its documents). An export is written into a `.partial-*` directory, renamed
 * into place once the emulator has finished it, and only then does `CURRENT` (written aside, synced
 * and renamed) name it: a crash at any point leaves `CURRENT` naming the last complete export.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

const POINTER = 'CURRENT';

interface Pointer {
  /** The export's `.overall_export_metadata` file, relative to the directory. */
  metadata: string;
  /** sha256 of the export's document files: an unchanged database gives the same digest. */
  digest: string;
}

function readPointer(directory: string): Pointer | undefined {
  const file = path.join(directory, POINTER);
  if (!existsSync(file)) return undefined;
  const pointer = JSON.parse(readFileSync(file, 'utf8')) as Partial<Pointer>;
  return typeof pointer.metadata === 'string' && typeof pointer.digest === 'string' ? { metadata: pointer.metadata, digest: pointer.digest } : undefined;
}

/** The emulator writes `<export_directory>/<name>/<name>.overall_export_metadata` and the data beside it. */
function metadataIn(directory: string): string | undefined {
  if (!existsSync(directory)) return undefined;
  for (const entry of readdirSync(directory)) {
    const metadata = path.join(directory, entry, `${entry}.overall_export_metadata`);
    if (existsSync(metadata)) return metadata;
  }
  return undefined;
}

/** The export to load at start: the one `CURRENT` names, or one saved by an earlier version of the stack. */
export function savedFirestoreExport(directory: string): string | undefined {
  const pointer = readPointer(directory);
  if (pointer && existsSync(path.join(directory, pointer.metadata))) return path.join(directory, pointer.metadata);
  // Earlier versions saved one export straight into the directory, without CURRENT.
  return metadataIn(directory);
}

/** The digest of an export's document files (`output-*`), which the emulator writes the same for the same data. */
function digestOf(exportDirectory: string): string {
  const hash = createHash('sha256');
  const files = readdirSync(exportDirectory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.startsWith('output-'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) hash.update(path.relative(exportDirectory, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

function writeDurably(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.partial`;
  const handle = openSync(temporary, 'w');
  try {
    writeSync(handle, text);
    fsyncSync(handle);
  } finally {
    closeSync(handle);
  }
  renameSync(temporary, file);
}

let sequence = 0;

/**
 * Exports the whole database into `directory` and makes it the one loaded at the next start,
 * unless nothing changed since the last save (then nothing on disk changes). Returns whether it
 * saved a new export. The previous export stays loadable until the new one is complete.
 */
export async function saveFirestore(host: string, projectId: string, directory: string): Promise<boolean> {
  mkdirSync(directory, { recursive: true });
  const partial = mkdtempSync(path.join(directory, '.partial-'));
  try {
    const response = await fetch(`http://${host}/emulator/v1/projects/${projectId}:export`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ database: `projects/${projectId}/databases/(default)`, export_directory: partial }),
    });
    if (!response.ok) throw new Error(`Saving the Firestore emulator's data failed: ${response.status} ${await response.text()}`);
    const metadata = metadataIn(partial);
    if (!metadata) throw new Error(`The Firestore emulator reported an export but wrote none into ${partial}`);
    // Within the export's own folder: its name carries the time of the export.
    const digest = digestOf(path.dirname(metadata));
    if (readPointer(directory)?.digest === digest && savedFirestoreExport(directory)) return false;
    const name = `export-${Date.now()}-${++sequence}`;
    renameSync(partial, path.join(directory, name));
    writeDurably(path.join(directory, POINTER), JSON.stringify({ metadata: path.join(name, path.relative(partial, metadata)), digest } satisfies Pointer));
    removeAllBut(directory, name);
    return true;
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}

/** Earlier exports, interrupted ones and an earlier version's layout go once a newer export is current. */
function removeAllBut(directory: string, current: string): void {
  for (const entry of readdirSync(directory)) {
    if (entry !== current && entry !== POINTER) rmSync(path.join(directory, entry), { recursive: true, force: true });
  }
  // The staging directory an earlier version of the stack used beside this one.
  rmSync(`${directory}.new`, { recursive: true, force: true });
}
