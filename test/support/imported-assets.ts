/**
 * Assets brought in by the real importer (`npm run import -- apply`), from the 60 staging documents
 * (test/fixtures/staging-assets-export.ndjson) or any documents in the old backend's JSON: the
 * suites about imported assets (lookups, numbering, composite protections) start from them.
 */
import { testFirestore } from './firestore-direct.js';
import { runImport } from './migrate-cli.js';
import { exportLine, stagingAssets, writeLines, type OldBackendAsset } from './staging-export.js';

export type SourceAsset = OldBackendAsset;

export interface ImportedAsset {
  id: string;
  source: SourceAsset;
  /** The document as the importer stored it. */
  document: Record<string, unknown>;
}

/** The 60 real staging documents (10 per layer G, S, L, M, W, C) of the old backend. */
export const stagingSamples: SourceAsset[] = stagingAssets();

export function sourceIdOf(source: SourceAsset): string {
  return source._id;
}

/** The sample whose name (or, for composites, whose base HFN) is `hfn`. */
export function stagingSample(hfn: string): SourceAsset {
  const found = stagingSamples.find((source) => source.name === hfn || source.name.startsWith(`${hfn}:`));
  if (!found) throw new Error(`No staging sample named ${hfn}`);
  return found;
}

export interface SeedOptions {
  /** false removes the counters the importer wrote, as for a path that has imported assets but no counter. */
  counters?: boolean;
}

/** Imports the documents (the staging samples by default) with `npm run import -- apply`; returns them as stored. */
export async function seedImportedAssets(sources: readonly SourceAsset[] = stagingSamples, options: SeedOptions = {}): Promise<ImportedAsset[]> {
  const run = await runImport(['apply', '--from', writeLines('imported-assets.ndjson', sources.map(exportLine)), '--yes']);
  if (run.code !== 0) throw new Error(`npm run import -- apply exited ${run.code}: ${run.stderr}`);
  const db = testFirestore();
  if (options.counters === false) {
    const counters = await db.collection('assets_sequences').listDocuments();
    await Promise.all(counters.map((counter) => counter.delete()));
  }
  const stored = await db.getAll(...sources.map((source) => db.collection('assets').doc(source._id)));
  return stored.map((snapshot, index) => ({ id: snapshot.id, source: sources[index]!, document: snapshot.data()! }));
}

/** The document id of the imported sample named `hfn` (its base HFN for composites). */
export function importedId(hfn: string): string {
  return sourceIdOf(stagingSample(hfn));
}

/** The imported staging samples for each test of the enclosing `describe` (the root hook empties Firestore before each). */
export function useImportedAssets(): { readonly assets: ImportedAsset[] } {
  const state = { assets: [] as ImportedAsset[] };
  beforeEach(async function () {
    this.timeout(60_000);
    state.assets = await seedImportedAssets();
  });
  return state;
}
