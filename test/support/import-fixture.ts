/** Reading back what an import wrote, for the cutover tests. */
import { testFirestore } from './firestore-direct.js';

type Document = Record<string, unknown>;

/** A stored asset without what differs between two imports of the same data (when, and from which file or URL). */
function stable(document: Document): Document {
  const system = document['_sys'] as Document | undefined;
  const imported = system?.['imported'] as Document | undefined;
  if (!system || !imported) return document;
  const rest: Document = { ...imported };
  delete rest['importedAt'];
  delete rest['source'];
  return { ...document, _sys: { ...system, imported: rest } };
}

/** Every asset as `{ id: stable(data) }`. */
export async function importedAssets(collection = 'assets'): Promise<Record<string, Document>> {
  const snapshot = await testFirestore().collection(collection).get();
  return Object.fromEntries(snapshot.docs.map((document) => [document.id, stable(document.data())]));
}

/** Every counter as `{ key: last }`. */
export async function counters(collection = 'assets'): Promise<Record<string, number>> {
  const snapshot = await testFirestore().collection(`${collection}_sequences`).get();
  return Object.fromEntries(snapshot.docs.map((document) => [document.id, document.get('last') as number]));
}

/** The history entries of every asset: `{ id: [writer, ...] }`. */
export async function historyWriters(collection = 'assets'): Promise<Record<string, string[]>> {
  const entries = await testFirestore().collectionGroup('history').get();
  const result: Record<string, string[]> = {};
  for (const entry of entries.docs) {
    const asset = entry.ref.parent.parent!;
    if (asset.parent.id !== collection) continue;
    (result[asset.id] ??= []).push(entry.get('writer') as string);
  }
  return result;
}
