import { Firestore } from '@google-cloud/firestore';

/** One client per process: it holds the gRPC channel. The emulator is used when FIRESTORE_EMULATOR_HOST is set. */
let client: Firestore | undefined;

export function getFirestore(projectId: string): Firestore {
  client ??= new Firestore({ projectId, ignoreUndefinedProperties: true });
  return client;
}
