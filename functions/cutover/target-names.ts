import { NameIndex } from './name-index.js';
import type { ImportTarget } from './ports.js';

/**
 * The names the target holds (base HFN -> id) from one pass over its assets, and with `withImported`
 * the ids of those an earlier import wrote: what name conflicts and verify compare against, kept in
 * memory instead of a query per document.
 */
export async function loadTargetNames(target: ImportTarget, withImported: boolean): Promise<{ names: NameIndex; imported: Set<string> }> {
  const names = new NameIndex();
  const imported = new Set<string>();
  for await (const entry of target.names()) {
    if (entry.nameKey !== '' && !names.has(entry.nameKey)) names.set(entry.nameKey, entry.id);
    if (withImported && entry.imported) imported.add(entry.id);
  }
  return { names, imported };
}
