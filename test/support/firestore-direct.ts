/** Direct access to the emulator's database, to seed legacy documents and to prove nothing changed. */
import { Firestore } from '@google-cloud/firestore';
import { TEST_PROJECT } from './test-environment.js';

let client: Firestore | undefined;

export function testFirestore(): Firestore {
  client ??= new Firestore({ projectId: TEST_PROJECT });
  return client;
}

/** Every document of a collection as `{ id: data }`, for before/after comparisons. */
export async function snapshotCollection(name: string): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  const documents = await testFirestore().collection(name).get();
  for (const document of documents.docs) result[document.id] = document.data();
  return result;
}
