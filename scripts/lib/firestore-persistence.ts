/**
 * Keeps the local stack's Firestore data between runs: the emulator's export endpoint writes the
 * database into a directory at stop, and `--import-data` loads it at the next start. The gcloud
 * emulator's own `--export-on-exit` is not used: the stack stops its process group with signals, and
 * an export that races a SIGKILL is lost, while an explicit export finishes before the stop begins.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

/** The saved export's metadata file under `directory`, if a previous run saved one. */
export function savedFirestoreExport(directory: string): string | undefined {
  if (!existsSync(directory)) return undefined;
  for (const entry of readdirSync(directory)) {
    const metadata = path.join(directory, entry, `${entry}.overall_export_metadata`);
    if (existsSync(metadata)) return metadata;
  }
  return undefined;
}

/** Exports the whole database into `directory`, replacing the previous export only once the new one is complete. */
export async function saveFirestore(host: string, projectId: string, directory: string): Promise<void> {
  const staging = `${directory}.new`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const response = await fetch(`http://${host}/emulator/v1/projects/${projectId}:export`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ database: `projects/${projectId}/databases/(default)`, export_directory: staging }),
  });
  if (!response.ok) throw new Error(`Saving the Firestore emulator's data failed: ${response.status} ${await response.text()}`);
  rmSync(directory, { recursive: true, force: true });
  renameSync(staging, directory);
}
